import './quiet-logs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { localTopologyNames } from '../../events/topology-names';
import { generateTrafficSample } from '../../infra/shipped/traffic-sample';
import { runUntilKilled, type KillPlan } from './kill-harness';
import { unaccounted } from '../../handlers/stage-kit/row-accounting';
import { allRuns, countRows, dropFiles, dumpTable, NO_DIFF, openRuntime, readSample, runCensus, settle, shuffled, tableDiff, tempDir, FORECAST, REFINED } from './pipeline-harness';

jest.setTimeout(900_000);

/** The seed of this run (`CHAOS_SEED` reproduces another); every choice below follows from it. */
const SEED = Number(process.env.CHAOS_SEED ?? 20261206);
const REJECTS = 'tributary_refined.traffic_rejects';
const isEvent = (bus: string, detailType: string) => (line: string) => line === `EVENT ${bus} ${detailType}`;

/**
 * The moments a kill can hit, across every stage: inside a query, a crawl and a transform (each after
 * it wrote output, before it reported), and right after each stage's announcement.
 */
const MOMENTS: ReadonlyArray<readonly [string, KillPlan]> = [
  ['a refine query wrote its staging files', { crashAt: `query-written:${localTopologyNames.athenaWorkgroup}` }],
  ['a rejects or forecast-input query wrote its files', { crashAt: 'query-written:primary' }],
  ['the raw crawl wrote the catalog', { crashAt: 'crawl-written:tributary-traffic-raw' }],
  ['the refined crawl wrote the catalog', { crashAt: 'crawl-written:tributary-traffic-refined' }],
  ['the forecast crawl wrote the catalog', { crashAt: 'crawl-written:tributary-traffic-forecast' }],
  ['a transform wrote its first output', { crashAt: 'transform-written:tributary-traffic-' }],
  ['RawLanded was published', { killOn: isEvent(localTopologyNames.busName, 'RawLanded') }],
  ['RefinedWritten was published', { killOn: isEvent(localTopologyNames.busName, 'RefinedWritten') }],
  ['ForecastReady was published', { killOn: isEvent(localTopologyNames.busName, 'ForecastReady') }],
];

/**
 * DESIGN.md invariants 1, 2 and 7 under chaos: a sample laid out three ways at once (root files, hour
 * folders, duplicate deliveries), dropped in seeded shuffled batches, each batch into a pipeline that is
 * then killed with SIGKILL at the next of the moments in a seeded order; a final restart must end with
 * every run done, nothing stalled or dead-lettered, every row accounted for, and refined, rejects and
 * forecast identical row for row to a clean run.
 */
describe(`chaos (seed ${SEED})`, () => {
  const dirs: string[] = [];
  afterAll(async () => {
    if (process.env.KEEP_HOMES) process.stderr.write(`kept: ${dirs.join(' ')}\n`);
    else for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
  });

  it('ends with the clean run\'s tables after seeded kills across every stage', async () => {
    const sampleDir = await tempDir('chaos-sample');
    dirs.push(sampleDir);
    const sample = await generateTrafficSample({ outDir: sampleDir, sensors: 3, hours: 12, seed: SEED % 1000 });
    const read = await readSample(sampleDir, sample.keys);
    // Every third file at the dataset root, the rest in their hour folders, and three delivered twice.
    const laidOut = read.map((f, i) => ({ key: i % 3 === 0 ? `traffic/${path.basename(f.key, '.jsonl')}-${i}.jsonl` : f.key, body: f.body }));
    const copies = shuffled(laidOut, SEED).slice(0, 3).map((f, i) => ({ key: `traffic/redelivered-${i}.jsonl`, body: f.body }));
    const files = shuffled([...laidOut, ...copies], SEED + 1);

    const cleanHome = await tempDir('chaos-clean');
    dirs.push(cleanHome);
    const clean = await tablesAfter(cleanHome, async () => dropFiles(cleanHome, files));
    expect(clean.refined).toHaveLength(sample.validRows);
    expect(clean.forecast.length).toBeGreaterThan(0);

    const home = await tempDir('chaos');
    dirs.push(home);
    // Every moment once per run, in a seeded order: one batch of files per kill.
    const moments = shuffled(MOMENTS, SEED + 2);
    const size = Math.ceil(files.length / moments.length);
    for (const [i, [moment, plan]] of moments.entries()) {
      const batch = files.slice(i * size, (i + 1) * size);
      const seen = await runUntilKilled(home, () => dropFiles(home, batch), plan);
      if (plan.killOn) expect({ moment, killed: seen.some(plan.killOn) }).toEqual({ moment, killed: true });
    }
    const lines = files.reduce((n, f) => n + f.body.toString('utf8').split('\n').filter((l) => l.trim() !== '').length, 0);
    const after = await tablesAfter(home, async () => undefined, async (rt) => {
      const runs = await allRuns(rt);
      expect(runCensus(runs)).toEqual({ 'forecast:succeeded': files.length });
      expect(rt.bus.listDeadLetterQueues()).toEqual([]);
      // Every row accounted for, per object and in all: read = refined + rejected + duplicates.
      const unbalanced = runs.filter((r) => !r.rowCounts || unaccounted(r.rowCounts) !== 0).map((r) => r.object.key);
      expect(unbalanced).toEqual([]);
      expect(runs.reduce((n, r) => n + (r.rowCounts?.read ?? 0), 0)).toBe(lines);
      expect(runs.reduce((n, r) => n + (r.rowCounts?.rejected ?? 0), 0)).toBe(await countRows(rt, REJECTS));
    });
    expect({ moments: moments.map(([m]) => m), refined: tableDiff(clean.refined, after.refined) }).toEqual({ moments: moments.map(([m]) => m), refined: NO_DIFF });
    expect(tableDiff(clean.rejects, after.rejects)).toEqual(NO_DIFF);
    expect(tableDiff(clean.forecast, after.forecast)).toEqual(NO_DIFF);
    expect(await fs.readFile(path.join(home, 'alerts.jsonl'), 'utf8').catch(() => '')).toBe('');
  });
});

/** Opens the pipeline on a home, runs `act`, settles, checks, and dumps the three compared tables. */
async function tablesAfter(home: string, act: () => Promise<void>, check?: (rt: Awaited<ReturnType<typeof openRuntime>>) => Promise<void>): Promise<{ refined: string[]; rejects: string[]; forecast: string[] }> {
  const rt = await openRuntime(home);
  try {
    await act();
    await settle(rt, 300_000);
    await check?.(rt);
    return { refined: await dumpTable(rt, REFINED), rejects: await dumpTable(rt, REJECTS), forecast: await dumpTable(rt, FORECAST) };
  } finally {
    await rt.close();
  }
}
