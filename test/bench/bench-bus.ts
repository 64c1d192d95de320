/**
 * Benchmark of the local bus (`npm run bench:bus`, `-- --json` for one JSON line).
 *
 * accepted/s: concurrent PutEvents calls of 10 entries each on the `tributary` bus, durability on
 * (each call resolves after its events are fsync'd, group-committed), with one rule matching them.
 * delivered/s: events already accepted are delivered to an in-process stage handler, from `start()`
 * until the bus is quiescent (every delivery settled in the journal). Medians of several runs.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stageTargetArn } from '../../infra/emulators/bus/bus-arns';
import { LocalEventBus } from '../../infra/emulators/bus/local-event-bus';

const RUNS = 5;
const EVENTS = 40_000;
const CONCURRENCY = 64;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function runOnce(): Promise<{ accepted: number; delivered: number }> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-bus-'));
  try {
    const bus = await LocalEventBus.open({ home });
    let received = 0;
    bus.registerStageHandler('bench', () => {
      received += 1;
    });
    await bus.putRule({ Name: 'bench', EventBusName: 'tributary', EventPattern: JSON.stringify({ source: ['bench'], detail: { n: [{ numeric: ['>=', 0] }] } }) });
    await bus.putTargets({ Rule: 'bench', EventBusName: 'tributary', Targets: [{ Id: 'bench', Arn: stageTargetArn('bench') }] });
    const calls = EVENTS / 10;
    let next = 0;
    const acceptStart = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < calls) {
          const call = next++;
          const entries = Array.from({ length: 10 }, (_, i) => ({
            Source: 'bench',
            DetailType: 'Bench Event',
            Detail: JSON.stringify({ n: call * 10 + i, payload: 'x'.repeat(100) }),
            EventBusName: 'tributary',
          }));
          const response = await bus.putEvents(entries);
          if (response.FailedEntryCount !== 0) throw new Error(`PutEvents failed: ${JSON.stringify(response.Entries)}`);
        }
      }),
    );
    const acceptSeconds = Number(process.hrtime.bigint() - acceptStart) / 1e9;
    const deliverStart = process.hrtime.bigint();
    bus.start();
    await bus.whenQuiescent();
    const deliverSeconds = Number(process.hrtime.bigint() - deliverStart) / 1e9;
    if (received !== EVENTS) throw new Error(`delivered ${received} of ${EVENTS}`);
    await bus.close();
    return { accepted: EVENTS / acceptSeconds, delivered: EVENTS / deliverSeconds };
  } finally {
    await fs.rm(home, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const accepted: number[] = [];
  const delivered: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const result = await runOnce();
    accepted.push(result.accepted);
    delivered.push(result.delivered);
    if (!json) console.log(`run ${run + 1}: accepted ${Math.round(result.accepted)}/s, delivered ${Math.round(result.delivered)}/s`);
  }
  const summary = { acceptedPerSecond: Math.round(median(accepted)), deliveredPerSecond: Math.round(median(delivered)) };
  if (json) console.log(JSON.stringify(summary));
  else console.log(`median of ${RUNS} runs (${EVENTS} events, ${CONCURRENCY} concurrent PutEvents of 10): accepted ${summary.acceptedPerSecond}/s, delivered ${summary.deliveredPerSecond}/s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
