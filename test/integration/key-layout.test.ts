import './quiet-logs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { generateTrafficSample } from '../../infra/local/sample/traffic-sample';
import { allRuns, dropFiles, openRuntime, queryRows, readSample, runCensus, settle, tempDir } from './pipeline-harness';

jest.setTimeout(240_000);

const reading = (sensor: string, at: string, speed: number): string =>
  JSON.stringify({ uniqueId: sensor, recordTimestamp: at, currentSpeed: speed, previousSpeed: 90, bezettingsgraad: 10, trafficIntensityClass2: 1, trafficIntensityClass3: 0, trafficIntensityClass4: 0, trafficIntensityClass5: 0 });

/** DESIGN.md "Datasets": any key layout below raw/<dataset>/ is one raw table, and no run waits silently. */
describe('key layouts of the raw zone', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
  });

  it('a root file copied beside hour folders keeps the raw table whole: its run fails loudly, later files still complete', async () => {
    const sampleDir = await tempDir('layout-sample');
    const home = await tempDir('layout');
    dirs.push(sampleDir, home);
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
      const root = runs.get(rootKey);
      expect(root).toMatchObject({ lastStage: 'announce-crawl', lastStatus: 'failed' });
      expect(root?.error).toMatchObject({ errorClass: 'input', retryable: false });
      expect(root?.error?.message).toContain('lies in no partition of tributary_raw.traffic');
      const alerts = (await fs.readFile(path.join(home, 'alerts.jsonl'), 'utf8')).split('\n').filter((l) => l.includes(rootKey));
      expect(alerts).toHaveLength(1);
      expect(runs.get(laterKey)).toMatchObject({ lastStage: 'forecast', lastStatus: 'succeeded' });
      expect(runCensus([...runs.values()].filter((r) => r.object.key !== rootKey))).toEqual({ 'forecast:succeeded': sample.files + 1 });
      expect(await queryRows(rt, "SELECT uniqueid FROM tributary_refined.traffic WHERE uniqueid = 'L1'")).toHaveLength(1);
    } finally {
      await rt.close();
    }
  });
});
