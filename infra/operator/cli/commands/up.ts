import type { Command } from 'commander';
import { PortInUseError } from '../../../emulators/bus/port-in-use-error';
import { startStreamingIngest } from '../../../emulators/firehose/streaming-ingest';
import { EmbeddedRuntime } from '../../../local/runtime/embedded-runtime';
import { startControlServer } from '../control-server';
import { consoleContext } from '../../console/server/console-context';
import { startConsole } from '../../console/server/console-server';
import { refuseBrokenDatasets } from '../refuse-broken-datasets';
import type { CliContext } from '../cli-context';
import { assertPortFree } from '../port-probe';

/** Opens the pipeline; a port taken between the check and the listen ends the process (the half-open runtime holds it up). */
async function openRuntime(ctx: CliContext, home: string, port: number): Promise<EmbeddedRuntime> {
  await assertPortFree(port);
  try {
    return await EmbeddedRuntime.open({ home, endpointPort: port });
  } catch (error) {
    if (!(error instanceof PortInUseError)) throw error;
    ctx.err(`tributary: ${error.message}`);
    process.exit(1);
  }
}

/** `tributary up`: the long-running pipeline — raw-zone watcher, bus and stages, EventBridge and Athena endpoint. */
export function registerUpCommand(program: Command, ctx: CliContext): void {
  program
    .command('up')
    .description('Run the pipeline until interrupted: watch the raw zone, deliver events, serve the EventBridge- and Athena-compatible endpoint and the Firehose-compatible one.')
    .option('--port <port>', 'EventBridge endpoint port (default $TRIBUTARY_PORT or 4566; 0 = any free port)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port must be a port number 0-65535, got ${JSON.stringify(v)}`);
      return n;
    })
    .option('--firehose-port <port>', 'Firehose endpoint port (default $TRIBUTARY_FIREHOSE_PORT or 4573; 0 = any free port, the default with --port 0)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--firehose-port must be a port number 0-65535, got ${JSON.stringify(v)}`);
      return n;
    })
    .action(async (options: { port?: number; firehosePort?: number }) => {
      const envPort = process.env.TRIBUTARY_PORT;
      const port = options.port ?? (envPort !== undefined ? Number(envPort) : 4566);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`TRIBUTARY_PORT must be a port number 0-65535, got ${JSON.stringify(envPort)}`);
      await refuseBrokenDatasets(ctx, ctx.home());
      const runtime = await openRuntime(ctx, ctx.home(), port);
      const ingest = await startStreamingIngest({ home: runtime.home, port: options.firehosePort ?? (port === 0 && process.env.TRIBUTARY_FIREHOSE_PORT === undefined ? 0 : undefined) }).catch(async (error: unknown) => {
        await runtime.close();
        if (!(error instanceof PortInUseError)) throw error;
        ctx.err(`tributary: Firehose endpoint: ${error.message.replace('--port N or TRIBUTARY_PORT=N', '--firehose-port N or TRIBUTARY_FIREHOSE_PORT=N')}`);
        process.exit(1);
      });
      const control = await startControlServer(runtime);
      const consoleServer = runtime.endpoint ? await startConsole(consoleContext(runtime), { token: control.token }) : undefined;
      if (consoleServer) runtime.endpoint?.mount(consoleServer.handle);
      ctx.out(`tributary up: home ${runtime.home}`);
      ctx.out(`  drop files into ${runtime.home}/lake/raw/<dataset>/ (or \`tributary drop <file> --dataset <name>\`)`);
      ctx.out(`  EventBridge endpoint ${runtime.endpoint?.url ?? '(none)'} — AWS_ENDPOINT_URL_EVENTBRIDGE=${runtime.endpoint?.url ?? ''}`);
      ctx.out(`  Athena endpoint (read-only, workgroup primary) on the same port — AWS_ENDPOINT_URL_ATHENA=${runtime.endpoint?.url ?? ''}`);
      ctx.out(`  Firehose endpoint ${ingest.url} — AWS_ENDPOINT_URL_FIREHOSE=${ingest.url} (a delivery stream per dataset, named after it)`);
      if (consoleServer) ctx.out(`console: ${runtime.endpoint?.url ?? ''}/`);
      ctx.out('  stop with Ctrl-C');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      ctx.out('stopping…');
      consoleServer?.close();
      await control.close();
      await ingest.close();
      await runtime.close();
    });
}
