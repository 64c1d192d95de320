import './quiet-logs';
import { promises as fs } from 'node:fs';
import { generateTrafficSample } from '../../infra/shipped/traffic-sample';
import { allRuns, countRows, dropFiles, openRuntime, readSample, runCensus, settle, tempDir } from './pipeline-harness';

jest.setTimeout(180_000);

/** Invariant 3 (crawls coalesce) and 1 (nothing is lost), on a burst of 200+ files dropped at once. */
describe('a burst of 200 files', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
  });

  it('costs at most a handful of crawls per zone, every crawl ends, and no file is missed', async () => {
    const sampleDir = await tempDir('burst-sample');
    const home = await tempDir('burst');
    dirs.push(sampleDir, home);
    const sample = await generateTrafficSample({ outDir: sampleDir, sensors: 2, hours: 20, seed: 5, filesPerHour: 10 });
    expect(sample.files).toBeGreaterThanOrEqual(200);
    const rt = await openRuntime(home);
    const started = new Map<string, number>();
    const finished = new Map<string, number>();
    const namings = new Map<string, number>();
    const stop = rt.bus.onEvent(({ bus, event }) => {
      const named = event.detail as { zone?: string; runIds?: string[] };
      if (event['detail-type'] === 'TableCrawled' && named.zone === 'raw') for (const id of named.runIds ?? []) namings.set(id, (namings.get(id) ?? 0) + 1);
      if (bus !== 'default' || event['detail-type'] !== 'Glue Crawler State Change') return;
      const detail = event.detail as { crawlerName: string; state: string };
      const tally = detail.state === 'Started' ? started : finished;
      tally.set(detail.crawlerName, (tally.get(detail.crawlerName) ?? 0) + 1);
    });
    try {
      await dropFiles(home, await readSample(sampleDir, sample.keys));
      await settle(rt, 150_000);
      const zones = ['raw', 'refined', 'forecast'].map((z) => `tributary-traffic-${z}`);
      for (const crawler of zones) {
        expect(started.get(crawler) ?? 0).toBeGreaterThanOrEqual(1);
        expect(started.get(crawler) ?? 0).toBeLessThanOrEqual(5);
      }
      expect([...started.keys()].sort()).toEqual([...zones].sort());
      expect(Object.fromEntries(finished)).toEqual(Object.fromEntries(started));
      expect(await countRows(rt, 'tributary_refined.traffic')).toBe(sample.validRows);
      const runs = await allRuns(rt);
      expect(runs).toHaveLength(sample.files);
      expect(runCensus(runs)).toEqual({ 'forecast:succeeded': sample.files });
      // Each run is named by one raw TableCrawled and refined once, however the crawls and their announcements overlapped.
      expect(new Set(runs.map((r) => namings.get(r.runId) ?? 0))).toEqual(new Set([1]));
      const refines = await Promise.all(runs.map(async (r) => (await rt.deps.runs.getRun(r.runId))?.stages.find((s) => s.stage === 'refine')?.attempts));
      expect(new Set(refines)).toEqual(new Set([1]));
      expect(rt.bus.listDeadLetterQueues()).toEqual([]);
    } finally {
      stop();
      await rt.close();
    }
  });
});
