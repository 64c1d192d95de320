import './quiet-logs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { generateTrafficSample, type TrafficSampleSummary } from '../../infra/shipped/traffic-sample';
import { localTopologyNames } from '../../events/topology-names';
import { runUntilKilled, type KillPlan } from './kill-harness';
import { allRuns, dropFiles, dumpTable, dumpTables, NO_DIFF, openRuntime, readSample, runCensus, settle, tableDiff, tempDir, FORECAST, REFINED, type TableDumps } from './pipeline-harness';

jest.setTimeout(240_000);

const REJECTS = 'tributary_refined.traffic_rejects';

/** What a home's alerts file holds (empty when nothing alerted). */
async function alertLines(home: string): Promise<string[]> {
  const text = await fs.readFile(path.join(home, 'alerts.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l.trim() !== '');
}

/** Invariant 2 under crashes: kill -9 mid-pipeline, restart, and the tables are those of a clean run. */
describe('kill -9 of the running pipeline, then a restart', () => {
  const dirs: string[] = [];
  let sampleDir: string;
  let sample: TrafficSampleSummary;
  let clean: TableDumps;
  let cleanRejects: string[];

  beforeAll(async () => {
    sampleDir = await tempDir('crash-sample');
    dirs.push(sampleDir);
    sample = await generateTrafficSample({ outDir: sampleDir, sensors: 3, hours: 14, seed: 23 });
    const home = await tempDir('crash-clean');
    dirs.push(home);
    const rt = await openRuntime(home);
    try {
      await dropFiles(home, await readSample(sampleDir, sample.keys));
      await settle(rt);
      clean = await dumpTables(rt);
      cleanRejects = await dumpTable(rt, REJECTS);
    } finally {
      await rt.close();
    }
    expect(clean.refined).toHaveLength(sample.validRows);
    expect(clean.forecast.length).toBeGreaterThan(0);
    expect(cleanRejects.length).toBeGreaterThan(0);
  });

  afterAll(async () => {
    if (process.env.KEEP_HOMES) process.stderr.write(`kept: ${dirs.join(' ')}\n`);
    else for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
  });

  const isEvent = (detailType: string) => (line: string) => line === `EVENT default ${detailType}`;
  it.each<[string, KillPlan]>([
    ['the first Athena query was queued', { killOn: isEvent('Athena Query State Change') }],
    ['the first forecast transform changed state', { killOn: isEvent('SageMaker Transform Job State Change') }],
    // Deterministic crash points inside the local services (TRIBUTARY_CRASH_AT), each after the job wrote output.
    ['a refine query has written its staging files', { crashAt: `query-written:${localTopologyNames.athenaWorkgroup}` }],
    ['the rejects query a refine waits on has written its files', { crashAt: 'query-written:primary' }],
    ['the raw crawl has written the catalog', { crashAt: 'crawl-written:tributary-traffic-raw' }],
    ['the refined crawl has written the catalog', { crashAt: 'crawl-written:tributary-traffic-refined' }],
    ['a forecast transform has written its first output', { crashAt: 'transform-written:tributary-traffic-' }],
  ])("completes with the clean run's tables after a kill when %s", async (_when, plan) => {
    const home = await tempDir('crash');
    dirs.push(home);
    const files = await readSample(sampleDir, sample.keys);
    const seen = await runUntilKilled(home, () => dropFiles(home, files), plan);
    if (plan.killOn) expect(seen.some(plan.killOn)).toBe(true);

    const rt = await openRuntime(home);
    try {
      await settle(rt, 180_000);
      expect(runCensus(await allRuns(rt))).toEqual({ 'forecast:succeeded': sample.files });
      expect(tableDiff(clean.refined, await dumpTable(rt, REFINED))).toEqual(NO_DIFF);
      expect(tableDiff(cleanRejects, await dumpTable(rt, REJECTS))).toEqual(NO_DIFF);
      expect(tableDiff(clean.forecast, await dumpTable(rt, FORECAST))).toEqual(NO_DIFF);
      expect(rt.bus.listDeadLetterQueues()).toEqual([]);
      expect(await alertLines(home)).toEqual([]);
    } finally {
      await rt.close();
    }
  });
});
