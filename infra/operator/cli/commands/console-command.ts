import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { serveConsole } from '../../console/server/console-server';
import { awsConsoleRoutes } from '../../console/server/routes';
import type { AwsOperations } from '../../../aws/aws-operations';
import { awsSide } from '../../read-side/aws-side';
import { RunListCache } from '../../read-side/run-list-cache';
import { findUp } from '../pipeline-handle';
import type { CliContext } from '../cli-context';

/** A console of the deployed stack being served: its URL (with the token in the fragment) and how to stop it. */
export interface AwsConsole {
  /** `http://127.0.0.1:PORT/#token=…`: what to open; the page keeps the token for its actions. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the console of the deployed stack on 127.0.0.1:`port` (0 = any free port): runs, the
 * pipeline graph, the Dead letters page and the Events page's replay through the CLI's `--aws` read
 * side; the other pages say they have no AWS source. Actions (redrive, replay) need a token made for
 * this start, which only the returned URL carries.
 */
export async function openAwsConsole(aws: AwsOperations, prefix: string, port: number): Promise<AwsConsole> {
  const token = randomBytes(32).toString('hex');
  const server = await serveConsole({ home: `aws:${prefix}`, runs: aws.runs, runList: new RunListCache(aws.runs), aws }, { token, routes: awsConsoleRoutes });
  const listener = http.createServer(server.handle);
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(port, '127.0.0.1', () => resolve());
  });
  const address: AddressInfo | string | null = listener.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/#token=${token}`,
    close: async () => {
      server.close();
      listener.closeAllConnections();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}

/** Serves the console of the deployed stack until interrupted, printing its URL with the token. */
async function serveAwsConsole(ctx: CliContext, port: number): Promise<void> {
  const served = await openAwsConsole(awsSide(), process.env.TRIBUTARY_PREFIX ?? 'tributary', port);
  ctx.out(`console: ${served.url} (the deployed stack; the URL carries the token redrive and replay need; stop with Ctrl-C)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await served.close();
}

/**
 * `tributary console`: prints the URL of the running home's console, with the control token in the
 * fragment (`#token=…`: browsers never send a fragment to the server; the page keeps it for the tab)
 * so the page can act (redrive, replay, train). Fails when `tributary up` does not run on the home.
 * With `--aws`, serves a console of the deployed stack instead (its URL carries a token made for that start).
 */
export function registerConsoleCommand(program: Command, ctx: CliContext): void {
  program
    .command('console')
    .description('Print the URL of the console of the running `tributary up` (open it in a browser; the URL carries the token its actions need).')
    .option('--aws', 'serve a console of the deployed stack (runs, the pipeline graph, dead letters with redrive, replay; AWS environment credentials) until interrupted')
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
