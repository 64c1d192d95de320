import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { serveConsole } from '../../console/server/console-server';
import { readOnlyRoutes } from '../../console/server/routes';
import { awsSide } from '../../read-side/aws-side';
import { RunListCache } from '../../read-side/run-list-cache';
import { findUp } from '../pipeline-handle';
import type { CliContext } from '../cli-context';

/**
 * Serves the read-only console of the deployed stack (runs, run detail, the pipeline graph) on
 * 127.0.0.1 until interrupted: what the CLI can read with `--aws`, nothing that needs the local bus.
 */
async function serveAwsConsole(ctx: CliContext, port: number): Promise<void> {
  const runs = awsSide().runs;
  const server = await serveConsole({ home: `aws:${process.env.TRIBUTARY_PREFIX ?? 'tributary'}`, runs, runList: new RunListCache(runs) }, { token: randomBytes(32).toString('hex'), routes: readOnlyRoutes });
  const listener = http.createServer(server.handle);
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(port, '127.0.0.1', () => resolve());
  });
  const address: AddressInfo | string | null = listener.address();
  ctx.out(`console: http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/ (the deployed stack, read-only; stop with Ctrl-C)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  server.close();
  listener.closeAllConnections();
  await new Promise<void>((resolve) => listener.close(() => resolve()));
}

/**
 * `tributary console`: prints the URL of the running home's console, with the control token in the
 * fragment (`#token=…`: browsers never send a fragment to the server; the page keeps it for the tab)
 * so the page can act (redrive, replay, train). Fails when `tributary up` does not run on the home.
 * With `--aws`, serves a read-only console of the deployed stack instead.
 */
export function registerConsoleCommand(program: Command, ctx: CliContext): void {
  program
    .command('console')
    .description('Print the URL of the console of the running `tributary up` (open it in a browser; the URL carries the token its actions need).')
    .option('--aws', 'serve a read-only console of the deployed stack (runs and the pipeline graph; AWS environment credentials) until interrupted')
    .option('--port <port>', 'with --aws: the port to serve on (default 0 = any free port)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port must be a port number 0-65535, got ${JSON.stringify(v)}`);
      return n;
    })
    .action(async (options: { aws?: boolean; port?: number }) => {
      if (options.aws) return serveAwsConsole(ctx, options.port ?? 0);
      const up = await findUp(ctx.home());
      if (!up?.eventbridge) throw new Error(`\`tributary up\` is not running on ${ctx.home()}; start it (the console is served on its port)`);
      ctx.out(`${up.eventbridge}/#token=${up.token}`);
    });
}
