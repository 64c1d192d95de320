import './quiet-logs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runIdOf } from '../../handlers/stage-kit/naming';
import { generateTrafficSample } from '../../infra/shipped/traffic-sample';
import { allRuns, countRows, dropFiles, openRuntime, readSample, runCensus, settle, tempDir } from './pipeline-harness';

jest.setTimeout(180_000);

const reading = (sensor: string, minute: number, speed: unknown): string =>
  JSON.stringify({ uniqueId: sensor, recordTimestamp: `2026-01-05T10:${String(minute).padStart(2, '0')}:00.000Z`, currentSpeed: speed, previousSpeed: 90, bezettingsgraad: 10, trafficIntensityClass2: 1, trafficIntensityClass3: 0, trafficIntensityClass4: 0, trafficIntensityClass5: 0 });

/** The bad files, each with a fragment the reason must contain and its error class. */
const BAD = [
  { key: 'traffic/2026/01/05/10/broken-json.jsonl', body: `${reading('X1', 1, 80)}\n{"uniqueId": "X1", "recordTimestamp": \n`, reason: 'not valid JSON', errorClass: 'input' },
  { key: 'traffic/2026/01/05/10/empty.jsonl', body: '', reason: 'empty', errorClass: 'input' },
  { key: 'unknown/2026/01/05/10/readings.jsonl', body: `${reading('X2', 1, 80)}\n`, reason: 'unknown dataset', errorClass: 'input' },
  { key: 'traffic/2026/01/05/10/wrong-type.jsonl', body: `${reading('X3', 1, 80)}\n${reading('X3', 2, 'fast')}\n`, reason: 'column currentSpeed is string (record 2: "fast"), declared integer', errorClass: 'schema' },
] as const;

interface AlertLine {
  readonly title: string;
  readonly body: string;
  readonly detail: { stage: string; runId?: string; errorClass: string; message: string; object?: { key: string }; inspect: string };
}

/** Invariants 5 and 6: bad input fails alone, loudly, with its reason; good input completes. */
describe('bad input goes to quarantine with a reason and never blocks good input', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
  });

  it('quarantines a malformed, an empty, an unknown-dataset and a wrongly typed file, and refines the rest', async () => {
    const sampleDir = await tempDir('q-sample');
    const home = await tempDir('quarantine');
    dirs.push(sampleDir, home);
    const sample = await generateTrafficSample({ outDir: sampleDir, sensors: 3, hours: 8, seed: 3 });
    const rt = await openRuntime(home);
    try {
      const good = await readSample(sampleDir, sample.keys);
      await dropFiles(home, [...good.slice(0, 5), ...BAD.map((b) => ({ key: b.key, body: b.body })), ...good.slice(5)]);
      await settle(rt);

      const alerts: AlertLine[] = (await fs.readFile(path.join(home, 'alerts.jsonl'), 'utf8').catch(() => ''))
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as AlertLine);
      const runs = new Map((await allRuns(rt)).map((r) => [r.object.key, r]));
      for (const bad of BAD) {
        const raw = path.join(home, 'lake', 'raw', ...bad.key.split('/'));
        const quarantined = path.join(home, 'lake', 'quarantine', ...bad.key.split('/'));
        await expect(fs.access(raw)).rejects.toThrow();
        expect(await fs.readFile(quarantined, 'utf8')).toBe(bad.body);
        const run = runs.get(bad.key);
        expect(run?.lastStatus).toBe('quarantined');
        expect(run?.error?.message).toContain(bad.reason);
        const forFile = alerts.filter((a) => a.detail.object?.key === bad.key);
        expect(forFile).toHaveLength(1);
        const alert = forFile[0];
        expect(alert?.detail.stage).toBe('register-landing');
        expect(alert?.detail.errorClass).toBe(bad.errorClass);
        expect(alert?.detail.message).toContain(bad.reason);
        expect(alert?.detail.runId).toBe(run?.runId);
        expect(alert?.body).toContain(bad.key);
        expect(alert?.detail.inspect).toBe(`tributary run ${run?.runId}`);
      }
      expect(alerts).toHaveLength(BAD.length);
      expect(runs.get(BAD[0].key)?.runId).toBe(runIdOf(BAD[0].key, runs.get(BAD[0].key)?.object.etag ?? ''));

      expect(await countRows(rt, 'tributary_refined.traffic')).toBe(sample.validRows);
      const goodRuns = sample.keys.map((k) => runs.get(k));
      expect(runCensus(goodRuns.flatMap((r) => (r ? [r] : [])))).toEqual({ 'forecast:succeeded': sample.files });
      expect(runs.size).toBe(sample.files + BAD.length);
      expect(rt.bus.listDeadLetterQueues()).toEqual([]);
    } finally {
      await rt.close();
    }
  });
});
