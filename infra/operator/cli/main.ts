import { Command, CommanderError } from 'commander';
import { cliContext } from './cli-context';
import { endQuietlyOnClosedPipe } from './closed-pipe';
import { registerBackfillCommand } from './commands/backfill';
import { registerDatasetCatalogCommands } from './commands/dataset-catalog-commands';
import { registerDatasetCommands } from './commands/dataset-commands';
import { registerConsoleCommand } from './commands/console-command';
import { registerDemoCommand } from './commands/demo';
import { registerDropCommand } from './commands/drop';
import { registerPipelineCommands } from './commands/pipeline-commands';
import { registerQueryCommand } from './commands/query';
import { registerRunCommands } from './commands/runs';
import { registerUpCommand } from './commands/up';

const HOME_HELP = 'Tributary home (default $TRIBUTARY_HOME or ./.tributary)';

/** The environment the commands read, shown after the command list of `tributary --help`. */
const ENVIRONMENT_HELP = `
Environment:
  TRIBUTARY_HOME               the home when --home is not given
  TRIBUTARY_DATASETS           more dataset folders, colon-separated
  TRIBUTARY_PORT, TRIBUTARY_FIREHOSE_PORT
                               the ports \`up\` serves on (default 4566, 4573)
  TRIBUTARY_PROGRESS           progress of wait, demo, backfill and drop on stderr:
                               auto (default: redrawn on a terminal, a line every
                               5 s elsewhere), tty, lines or off
  TRIBUTARY_PROGRESS_INTERVAL  seconds between progress updates
  TRIBUTARY_PREFIX             with --aws: the deployed stack's name prefix
                               (default tributary)`;

/** Adds `--home` to a command and every subcommand, so it may be given anywhere on the line. */
function withHomeEverywhere(command: Command): void {
  for (const sub of command.commands) {
    if (sub.commands.length > 0) withHomeEverywhere(sub);
    else sub.option('--home <dir>', HOME_HELP);
  }
}

/**
 * The `tributary` command line: the embedded default's front door. Every command takes `--home`;
 * errors are one line on stderr and a non-zero exit.
 */
export function buildProgram(): Command {
  let home: string | undefined;
  const program = new Command('tributary')
    .description('Event-driven data-lake pipeline, running embedded on this machine (offline, no account).')
    .option('--home <dir>', HOME_HELP)
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', ENVIRONMENT_HELP)
    .exitOverride();
  program.hook('preAction', (_root, action) => {
    const opts: unknown = action.optsWithGlobals();
    const value: unknown = typeof opts === 'object' && opts !== null ? Reflect.get(opts, 'home') : undefined;
    home = typeof value === 'string' ? value : undefined;
  });
  const ctx = cliContext(() => home);
  registerDemoCommand(program, ctx);
  registerUpCommand(program, ctx);
  registerConsoleCommand(program, ctx);
  registerDropCommand(program, ctx);
  registerPipelineCommands(program, ctx);
  registerBackfillCommand(program, ctx);
  registerRunCommands(program, ctx);
  registerQueryCommand(program, ctx);
  registerDatasetCommands(program, ctx);
  registerDatasetCatalogCommands(program, ctx);
  withHomeEverywhere(program);
  for (const c of [program, ...program.commands, ...program.commands.flatMap((c) => c.commands)]) c.exitOverride();
  return program;
}

/** Runs the CLI on an argv (node, script, args…); sets `process.exitCode`. Output to a closed pipe ends it quietly. */
export async function main(argv: readonly string[]): Promise<void> {
  endQuietlyOnClosedPipe();
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`tributary: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main(process.argv);
