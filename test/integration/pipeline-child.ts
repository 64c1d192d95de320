/**
 * Child process of the crash test: runs the embedded pipeline on a home until killed, as
 * `tributary up` does. `node --import tsx pipeline-child.ts <home>` prints `READY` once the runtime
 * is open, then `EVENT <bus> <detail-type>` for every event the bus accepts.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

async function main(): Promise<void> {
  const { EmbeddedRuntime } = await import('../../infra/local/runtime/embedded-runtime');
  const home = process.argv[2];
  if (home === undefined) throw new Error('usage: pipeline-child <home>');
  const rt = await EmbeddedRuntime.open({ home, consoleAlerts: false, backoffBaseMs: 20, backoffMaxMs: 500 });
  rt.bus.onEvent(({ bus, event }) => process.stdout.write(`EVENT ${bus} ${event['detail-type']}\n`));
  process.stdout.write('READY\n');
  setInterval(() => undefined, 60_000);
}

main().catch((err: unknown) => {
  process.stderr.write(`pipeline-child: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
