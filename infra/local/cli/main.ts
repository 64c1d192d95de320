import { Command, CommanderError } from 'commander';

/**
 * The `tributary` command line: the embedded default's front door.
 *
 * Every command takes `--home` (default `$TRIBUTARY_HOME` or `./.tributary`); errors are one line on
 * stderr and a non-zero exit.
 */
function buildProgram(): Command {
  const program = new Command('tributary')
    .description('Event-driven data-lake pipeline, running embedded on this machine.')
    .option('--home <dir>', 'Tributary home (default $TRIBUTARY_HOME or ./.tributary)')
    .exitOverride();
  program
    .command('demo')
    .description('Generate the traffic sample, drop it, run the pipeline until quiescent and print a report.')
    .action(() => {
      throw new Error('the pipeline stages are not built yet (issue 4); `npm test` runs what exists');
    });
  return program;
}

async function main(argv: readonly string[]): Promise<void> {
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

void main(process.argv);
