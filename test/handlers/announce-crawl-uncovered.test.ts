import '../integration/quiet-logs';
import { promises as fs } from 'node:fs';
import { StageId } from '../../events/stage-ids';
import type { ObjectEvent } from '../../infra/emulators/crawler/crawler-event-queue';
import { generateTrafficSample } from '../../infra/shipped/traffic-sample';
import { allRuns, dropFiles, openRuntime, readSample, runCensus, settle, tempDirs } from '../integration/pipeline-harness';
import type { RunSummary } from '../../handlers/ports/run-store';

jest.setTimeout(180_000);

/** What a trickle of two files into two hour folders left, the second's object event held back. */
interface Outcome {
  readonly runs: RunSummary[];
  /** Raw `TableCrawled` namings per run id. */
  readonly namings: Map<string, number>;
  /** `StageFailed` details, as JSON. */
  readonly failures: string[];
  readonly alerted: boolean;
}

/**
 * Drops one file, lets it settle, then drops a second into a new hour folder whose object event is
 * held back from the crawler's queue: released when the crawl that started after its landing has
 * ended (its snapshot of the queue missed it), or never.
 */
async function trickleWithLateEvent(dir: (prefix: string) => Promise<string>, release: 'after-the-crawl' | 'never'): Promise<Outcome> {
  const sampleDir = await dir('uncovered-sample');
  const home = await dir('uncovered');
  const sample = await generateTrafficSample({ outDir: sampleDir, sensors: 2, hours: 2, seed: 37, filesPerHour: 1 });
  const [first, second] = await readSample(sampleDir, [...sample.keys].sort());
  if (!first || !second) throw new Error('the sample has two files');
  expect(second.key.split('/').slice(0, -1).join('/')).not.toBe(first.key.split('/').slice(0, -1).join('/'));
  const rt = await openRuntime(home);
  const namings = new Map<string, number>();
  const failures: string[] = [];
  const stop = rt.bus.onEvent(({ event }) => {
    const named = event.detail as { zone?: string; runIds?: string[] };
    if (event['detail-type'] === 'StageFailed') failures.push(JSON.stringify(event.detail));
    if (event['detail-type'] === 'TableCrawled' && named.zone === 'raw') for (const id of named.runIds ?? []) namings.set(id, (namings.get(id) ?? 0) + 1);
  });
  // The S3 → SQS notification of the second file's object, held back while its run lands and a crawl runs.
  const queue = rt.crawler.queueObjectEvents.bind(rt.crawler);
  const held: ObjectEvent[] = [];
  rt.crawler.queueObjectEvents = async (events) => {
    held.push(...events.filter((e) => e.key === second.key));
    await queue(events.filter((e) => e.key !== second.key));
  };
  const announce = (event: unknown): Promise<void> => import('../../handlers/announce-crawl').then((m) => m.handler(event, rt.deps));
  rt.bus.registerStageHandler(StageId.AnnounceCrawl, async (event) => {
    if (release === 'after-the-crawl' && held.length > 0) await queue(held.splice(0));
    await announce(event);
  });
  try {
    await dropFiles(home, [first]);
    await settle(rt);
    await dropFiles(home, [second]);
    await settle(rt);
    const alerted = await fs.access(`${home}/alerts.jsonl`).then(() => true, () => false);
    return { runs: await allRuns(rt), namings, failures, alerted };
  } finally {
    stop();
    await rt.close();
  }
}

/**
 * A raw crawl in event mode reads the folders of the object events queued when it starts. An object
 * event can reach the crawler's queue after a crawl took its snapshot while the object's run was
 * registered before that crawl started (on AWS, S3 → SQS and S3 → EventBridge are separate
 * deliveries; under load either lags): that crawl did not read the run's new hour folder, so the
 * folder has no partition yet. The crawl must not name the run — nor fail it as a file that "lies in
 * no partition" — but leave it to the next crawl, which reads the event and registers the folder.
 */
describe('a run whose object event reaches the crawler after the crawl took its snapshot', () => {
  const dir = tempDirs();

  it('is left to the next crawl, which registers its folder and names it once', async () => {
    const { runs, namings, failures, alerted } = await trickleWithLateEvent(dir, 'after-the-crawl');
    expect(failures).toEqual([]);
    expect(runCensus(runs)).toEqual({ 'forecast:succeeded': 2 });
    expect(runs.map((r) => namings.get(r.runId))).toEqual([1, 1]);
    expect(alerted).toBe(false);
  });

  it('fails loudly when the next crawl still registers no partition for it, instead of waiting for ever', async () => {
    const { runs, namings, failures } = await trickleWithLateEvent(dir, 'never');
    expect(runCensus(runs)).toEqual({ 'forecast:succeeded': 1, 'announce-crawl:failed': 1 });
    expect(failures).toEqual([expect.stringContaining('lies in no partition of tributary_raw.traffic')]);
    expect([...namings.values()]).toEqual([1]);
  });
});
