import type { Command } from 'commander';
import { findUp } from '../pipeline-handle';
import type { CliContext } from '../cli-context';

/**
 * `tributary console`: prints the URL of the running home's console, with the control token in the
 * fragment (`#token=…`: browsers never send a fragment to the server; the page keeps it for the tab)
 * so the page can act (redrive, replay, train). Fails when `tributary up` does not run on the home.
 */
export function registerConsoleCommand(program: Command, ctx: CliContext): void {
  program
    .command('console')
    .description('Print the URL of the console of the running `tributary up` (open it in a browser; the URL carries the token its actions need).')
    .action(async () => {
      const up = await findUp(ctx.home());
      if (!up?.eventbridge) throw new Error(`\`tributary up\` is not running on ${ctx.home()}; start it (the console is served on its port)`);
      ctx.out(`${up.eventbridge}/#token=${up.token}`);
    });
}
