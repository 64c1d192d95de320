import './quiet-logs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { generateTrafficSample } from '../../infra/shipped/traffic-sample';
import { allRuns, countRows, dropFiles, openRuntime, queryRows, readSample, runCensus, settle, tempDirs } from './pipeline-harness';

jest.setTimeout(240_000);

const reading = (sensor: string, at: string, speed: number): string =>
  JSON.stringify({ uniqueId: sensor, recordTimestamp: at, currentSpeed: speed, previousSpeed: 90, bezettingsgraad: 10, trafficIntensityClass2: 1, trafficIntensityClass3: 0, trafficIntensityClass4: 0, trafficIntensityClass5: 0 });

/** DESIGN.md "Datasets": any key layout below raw/<dataset>/ is one raw table, and no run waits silently. */
describe('key layouts of the raw zone', () => {
  const dir = tempDirs();

  it('a root file copied beside hour folders joins the one raw table: every run completes and every valid row is refined', async () => {
    const sampleDir = await dir('layout-sample');
    const home = await dir('layout');
    const sample = await generateTrafficSample({ outDir: sampleDir, sensors: 2, hours: 3, seed: 12 });
    const rt = await openRuntime(home);
    try {
      await dropFiles(home, await readSample(sampleDir, sample.keys));
      await settle(rt);
      const rootKey = 'traffic/one-file.jsonl';
      const laterKey = 'traffic/2026/02/01/08/later.jsonl';
      await dropFiles(home, [
        { key: rootKey, body: `${reading('R1', '2026-02-01T07:01:00.000Z', 70)}\n${reading('R1', '2026-02-01T07:02:00.000Z', 71)}\n` },
        { key: laterKey, body: `${reading('L1', '2026-02-01T08:01:00.000Z', 60)}\n` },
      ]);
      await settle(rt);

      const tables = await queryRows(rt, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'tributary_raw'");
      expect(tables.map((t) => t['table_name'])).toEqual(['traffic']);
      const runs = new Map((await allRuns(rt)).map((r) => [r.object.key, r]));
      expect(runCensus([...runs.values()])).toEqual({ 'forecast:succeeded': sample.files + 2 });
      expect((await queryRows(rt, "SELECT uniqueid FROM tributary_refined.traffic WHERE uniqueid IN ('R1', 'L1')")).map((r) => r['uniqueid']).sort()).toEqual(['L1', 'R1', 'R1']);
      expect(await countRows(rt, 'tributary_refined.traffic')).toBe(sample.validRows + 3);
      await expect(fs.access(path.join(home, 'alerts.jsonl'))).rejects.toThrow();
    } finally {
      await rt.close();
    }
  });

  it.each([
    ['every file at the dataset root', (key: string, i: number) => `traffic/${i}-${key.split('/').pop() ?? ''}`],
    ['root files, hour folders and hive folders mixed', (key: string, i: number) => (i % 3 === 0 ? `traffic/${i}-${key.split('/').pop() ?? ''}` : i % 3 === 1 ? key : `traffic/source=feed${i % 2}/${i}.jsonl`)],
  ])('%s: one raw table, every run done, refined = valid rows and rejects = invalid rows', async (_name, keyOf) => {
    const sampleDir = await dir('layout-any-sample');
    const home = await dir('layout-any');
    const sample = await generateTrafficSample({ outDir: sampleDir, sensors: 2, hours: 3, seed: 21 });
    const rt = await openRuntime(home);
    try {
      const files = await readSample(sampleDir, sample.keys);
      await dropFiles(home, files.map((f, i) => ({ key: keyOf(f.key, i), body: f.body })));
      await settle(rt);
      const tables = await queryRows(rt, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'tributary_raw'");
      expect(tables.map((t) => t['table_name'])).toEqual(['traffic']);
      expect(runCensus(await allRuns(rt))).toEqual({ 'forecast:succeeded': sample.files });
      expect(await countRows(rt, 'tributary_refined.traffic')).toBe(sample.validRows);
      expect(await countRows(rt, 'tributary_refined.traffic_rejects')).toBe(sample.invalidRows);
      expect(rt.bus.listDeadLetterQueues()).toEqual([]);
    } finally {
      await rt.close();
    }
  });
});
