import '../integration/quiet-logs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { forecast, handler } from '../../handlers/forecast';
import { TRIBUTARY_SOURCE } from '../../contracts/domain-events';
import { StageStatus } from '../../handlers/ports/run-store';
import { transitionRuns } from '../../handlers/stage-kit/transition-runs';
import type { JobStore } from '../../handlers/ports/job-store';
import type { EmbeddedRuntime } from '../../infra/local/runtime/embedded-runtime';
import { generateTrafficSample } from '../../infra/shipped/traffic-sample';
import { allRuns, dropFiles, openRuntime, queryRows, readSample, settle, tempDir } from '../integration/pipeline-harness';
import { landRuns, liveRows, originPath } from './forecast-fixtures';

jest.setTimeout(180_000);

const HOUR = 3_600_000;

let root: string;
let rt: EmbeddedRuntime;
let runIds: string[];
let lastHour: number;

/** Leaves a forecast partition behind as an earlier job would have, for an origin that has no data. */
async function stalePartition(origin: number): Promise<void> {
  const row = { uniqueid: 'S-gone', origin_time: new Date(origin).toISOString(), target_time: new Date(origin + HOUR).toISOString(), step: 1, prediction: 1, model: 'last-value', model_version: 'earlier' };
  await rt.deps.objects.putObject(rt.deps.topology.buckets.forecast, `traffic/${originPath(origin)}/earlier-forecast.jsonl`, `${JSON.stringify(row)}\n`);
}

beforeAll(async () => {
  root = await tempDir('forecast');
  const sampleDir = path.join(root, 'sample');
  const sample = await generateTrafficSample({ outDir: sampleDir, sensors: 2, hours: 3, seed: 7 });
  const home = path.join(root, 'home');
  rt = await openRuntime(home);
  await dropFiles(home, await readSample(sampleDir, sample.keys));
  await settle(rt);
  runIds = (await allRuns(rt)).map((r) => r.runId).sort();
  const [last] = await queryRows(rt, `SELECT CAST(max(date_trunc('hour', eventtime)) AS varchar) AS h FROM tributary_refined.traffic`);
  lastHour = Date.parse(`${(last?.['h'] ?? '').replace(' ', 'T')}Z`);
  expect(Number.isFinite(lastHour)).toBe(true);
});
afterAll(async () => {
  await rt.close();
  await fs.rm(root, { recursive: true, force: true });
});

describe('forecast: a job replaces the forecast partitions of every origin it covers', () => {
  it('removes a covered origin that no longer has data, and rewrites the ones that have', async () => {
    const before = await liveRows(rt.deps, lastHour);
    expect(before.length).toBeGreaterThan(0);
    // Origins up to a day after a changed hour read it (one season of 96 quarters before their origin).
    await stalePartition(lastHour + 5 * HOUR);
    await forecast({ dataset: 'traffic', hours: [lastHour], runIds, sources: ['rerun-1'] }, rt.deps);
    await settle(rt);
    expect(await liveRows(rt.deps, lastHour + 5 * HOUR)).toEqual([]);
    expect(await liveRows(rt.deps, lastHour)).toEqual(before);
  });

  it('two forecasts started in one clock tick are two jobs, ordered, never one generation shared', async () => {
    const tick = new Date();
    const jobs: Array<{ name: string; generation: unknown }> = [];
    const deps = {
      ...rt.deps,
      clock: () => tick,
      jobs: {
        getJob: (kind, id) => rt.deps.jobs.getJob(kind, id),
        claimPartition: (table, partition, generation) => rt.deps.jobs.claimPartition(table, partition, generation),
        heldPartitions: (table, partitions, generation) => rt.deps.jobs.heldPartitions(table, partitions, generation),
        putJob: async (kind, name, record) => {
          if (kind === 'forecast') jobs.push({ name, generation: record['generation'] });
          await rt.deps.jobs.putJob(kind, name, record);
        },
      } satisfies JobStore,
    };
    await forecast({ dataset: 'traffic', hours: [lastHour], runIds, sources: ['tick-1'] }, deps);
    await forecast({ dataset: 'traffic', hours: [lastHour], runIds, sources: ['tick-2'] }, deps);
    await settle(rt);
    expect(jobs).toHaveLength(2);
    expect(new Set(jobs.map((j) => j.name)).size).toBe(2);
    expect(new Set(jobs.map((j) => j.generation)).size).toBe(2);
    // One of them wins every origin: the partition holds one job's file, not both, nor none.
    expect((await rt.deps.objects.listObjects(rt.deps.topology.buckets.forecast, `traffic/${originPath(lastHour)}/`)).length).toBe(1);
  });

  it('with no changed partition (a refine a newer one superseded), ends its runs without reading anything', async () => {
    const [runId] = await landRuns(rt, 'superseded-run');
    const queries = jest.spyOn(rt.deps.query, 'startQueryExecution');
    await forecast({ dataset: 'traffic', hours: [], runIds: [runId ?? ''], sources: ['superseded'] }, rt.deps);
    expect(queries).not.toHaveBeenCalled();
    queries.mockRestore();
    const run = await rt.deps.runs.getRun(runId ?? '');
    expect(run?.stages.find((st) => st.stage === 'forecast')?.status).toBe('succeeded');
  });

  it('removes the covered origins when none of them has data (no transform job to run)', async () => {
    const changed = lastHour + 30 * HOUR;
    await stalePartition(changed + 10 * HOUR);
    await forecast({ dataset: 'traffic', hours: [changed], runIds, sources: ['rerun-2'] }, rt.deps);
    await settle(rt);
    expect(await liveRows(rt.deps, changed + 10 * HOUR)).toEqual([]);
    const [gone] = await queryRows(rt, `SELECT count(*) AS n FROM tributary_forecast.traffic WHERE uniqueid = 'S-gone'`);
    expect(gone?.['n']).toBe('0');
  });

  it('after a refined crawl, forecasts the runs whose forecast waits for it, never one whose forecast is under way', async () => {
    const eventTimeRange = { min: new Date(lastHour).toISOString(), max: new Date(lastHour + 600_000).toISOString() };
    for (const runId of ['waiting-run', 'in-flight-run']) {
      await rt.deps.runs.recordLanding({ runId, dataset: 'traffic', object: { bucket: 'tributary-raw', key: `traffic/${runId}.jsonl`, etag: `etag-${runId}`, size: 1 }, landedAt: new Date(0).toISOString(), eventTimeRange });
    }
    // Both refined; the first one's forecast found no table and waits, the second one's is running.
    await transitionRuns(rt.deps.runs, ['waiting-run', 'in-flight-run'], 'refine', StageStatus.Succeeded, new Date(Date.now() - 2000).toISOString());
    await transitionRuns(rt.deps.runs, ['waiting-run'], 'forecast', StageStatus.Pending, new Date(Date.now() - 1000).toISOString());
    const crawled = {
      version: '0', id: 'refined-crawl-1', 'detail-type': 'TableCrawled', source: TRIBUTARY_SOURCE, account: '000000000000', time: new Date().toISOString(), region: 'us-east-1', resources: [],
      detail: { schemaVersion: 1, zone: 'refined', dataset: 'traffic', database: 'tributary_refined', table: 'traffic', partitions: [], schemaChanged: [], crawlerName: 'tributary-traffic-refined', runIds: [] },
    };
    await handler(crawled, rt.deps);
    // Nothing else moves the in-flight run here: it is left as it is, not failed as stalled.
    await settle(rt, 120_000, { failStalled: false });
    const status = async (runId: string): Promise<string | undefined> => (await rt.deps.runs.getRun(runId))?.stages.find((st) => st.stage === 'forecast')?.status;
    expect(await status('waiting-run')).toBe('succeeded');
    expect(await status('in-flight-run')).toBeUndefined();
  });
});
