import './quiet-logs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { announceRefined } from '../../handlers/announce-refined';
import type { RunSummary } from '../../handlers/ports/run-store';
import { countRowsRead } from '../../handlers/stage-kit/count-rows-read';
import { AccountingError } from '../../handlers/stage-kit/row-accounting';
import { readObjectRejects } from '../../handlers/stage-kit/write-rejects';
import { generateTrafficSample, type TrafficSampleSummary } from '../../infra/shipped/traffic-sample';
import type { EmbeddedRuntime } from '../../infra/local/runtime/embedded-runtime';
import { allRuns, countRows, dropFiles, openRuntime, readSample, settle, tempDir } from './pipeline-harness';

jest.setTimeout(240_000);

interface AlertLine {
  readonly detail: { stage: string; runId?: string; errorClass: string; message: string; object?: { key: string } };
}

async function alertsOf(home: string): Promise<AlertLine[]> {
  const text = await fs.readFile(path.join(home, 'alerts.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as AlertLine);
}

const linesIn = (body: Buffer): number => body.toString('utf8').split('\n').filter((l) => l.trim() !== '').length;

/** DESIGN.md invariant 7: per raw object, rows read = refined + rejected + duplicates, or the run fails loudly. */
describe('row accounting', () => {
  const dirs: string[] = [];
  let sampleDir: string;
  let sample: TrafficSampleSummary;
  let files: { key: string; body: Buffer }[];
  beforeAll(async () => {
    sampleDir = await tempDir('acc-sample');
    dirs.push(sampleDir);
    sample = await generateTrafficSample({ outDir: sampleDir, sensors: 3, hours: 6, seed: 7 });
    files = await readSample(sampleDir, sample.keys);
  });
  afterAll(async () => {
    for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
  });

  async function withRuntime<T>(name: string, body: (rt: EmbeddedRuntime, home: string) => Promise<T>): Promise<T> {
    const home = await tempDir(name);
    dirs.push(home);
    const rt = await openRuntime(home);
    try {
      return await body(rt, home);
    } finally {
      await rt.close();
    }
  }

  const refineOf = async (rt: EmbeddedRuntime, run: RunSummary) => (await rt.deps.runs.getRun(run.runId))?.stages.find((s) => s.stage === 'refine');

  it('reports exact counts for normal data: refined = valid readings, rejected = invalid lines, duplicates counted', async () => {
    await withRuntime('acc-normal', async (rt, home) => {
      await dropFiles(home, files);
      await settle(rt);
      const runs = await allRuns(rt);
      expect(runs).toHaveLength(sample.files);
      const byKey = new Map(files.map((f) => [f.key, f.body]));
      for (const run of runs) {
        expect(await refineOf(rt, run)).toMatchObject({ status: 'succeeded' });
        const body = byKey.get(run.object.key);
        expect(run.rowCounts?.read).toBe(body ? linesIn(body) : -1);
      }
      const total = runs.reduce((t, r) => ({ read: t.read + (r.rowCounts?.read ?? 0), refined: t.refined + (r.rowCounts?.refined ?? 0), rejected: t.rejected + (r.rowCounts?.rejected ?? 0), duplicates: t.duplicates + (r.rowCounts?.duplicates ?? 0) }), { read: 0, refined: 0, rejected: 0, duplicates: 0 });
      expect(total).toEqual({ read: sample.rows, refined: sample.validRows, rejected: sample.invalidRows, duplicates: sample.duplicateRows });
      expect(sample.duplicateRows).toBeGreaterThan(0);
      expect(await countRows(rt, 'tributary_refined.traffic')).toBe(sample.validRows);
      expect((await alertsOf(home)).filter((a) => a.detail.errorClass === 'accounting')).toEqual([]);
    });
  });

  it('fails a run whose rows the refine SQL drops without a rejects reason, naming the object and the missing count', async () => {
    await withRuntime('acc-silent-drop', async (rt, home) => {
      const getDataset = rt.deps.datasets.getDataset.bind(rt.deps.datasets);
      // A refine SQL that quietly filters out readings at exactly 100 km/h, which rejects.sql keeps as valid.
      rt.deps.datasets.getDataset = async (name) => {
        const found = await getDataset(name);
        return found && { ...found, refineSql: found.refineSql.replace('AND currentspeed BETWEEN 0 AND 250', 'AND currentspeed BETWEEN 0 AND 250 AND currentspeed <> 100') };
      };
      await dropFiles(home, files);
      await settle(rt);
      const runs = await allRuns(rt);
      const failed = runs.filter((r) => r.error?.errorClass === 'accounting');
      expect(failed.length).toBeGreaterThan(0);
      const alerts = (await alertsOf(home)).filter((a) => a.detail.errorClass === 'accounting');
      expect(alerts.map((a) => a.detail.runId).sort()).toEqual(failed.map((r) => r.runId).sort());
      for (const run of failed) {
        expect(await refineOf(rt, run)).toMatchObject({ status: 'failed' });
        const missing = (run.rowCounts?.read ?? 0) - (run.rowCounts?.refined ?? 0) - (run.rowCounts?.rejected ?? 0) - (run.rowCounts?.duplicates ?? 0);
        expect(missing).toBeGreaterThan(0);
        const alert = alerts.find((a) => a.detail.runId === run.runId);
        expect(alert?.detail).toMatchObject({ stage: 'refine', object: { key: run.object.key } });
        expect(alert?.detail.message).toContain(`s3://${run.object.bucket}/${run.object.key}: ${missing} of its ${run.rowCounts?.read} rows were neither refined`);
      }
      for (const run of runs.filter((r) => !failed.includes(r))) expect(await refineOf(rt, run)).toMatchObject({ status: 'succeeded' });
    });
  });

  /**
   * Drops all but the last file, then the last one with every `currentSpeed` null; returns its run. (A
   * file where the column is renamed is quarantined as `schema` at landing: test/integration/schema-evolution.test.ts.)
   */
  async function dropRenamedLast(rt: EmbeddedRuntime, home: string): Promise<{ run: RunSummary; lines: number }> {
    const [last, ...earlier] = [...files].sort((a, b) => b.key.localeCompare(a.key));
    if (!last) throw new Error('the sample has files');
    await dropFiles(home, earlier);
    await settle(rt);
    await dropFiles(home, [{ key: last.key, body: Buffer.from(last.body.toString('utf8').replace(/"currentSpeed":\s*-?\d+/g, '"currentSpeed":null')) }]);
    await settle(rt);
    const run = (await allRuns(rt)).find((r) => r.object.key === last.key);
    if (!run) throw new Error('no run for the last file');
    return { run, lines: linesIn(last.body) };
  }

  it('accounts for the rows of a later file whose currentSpeed is null throughout as rejected with a reason', async () => {
    await withRuntime('acc-rename', async (rt, home) => {
      const { run, lines } = await dropRenamedLast(rt, home);
      expect(run.rowCounts).toEqual({ read: lines, refined: 0, rejected: lines, duplicates: 0 });
      const rejects = await readObjectRejects(rt.deps, 'traffic', run.object);
      expect(rejects.map((l) => (JSON.parse(l) as { reason: string }).reason)).toEqual(Array.from({ length: lines }, () => 'missing_current_speed'));
    });
  });

  it('fails the run of a later file whose rows the raw table does not read (as when it was catalogued as a table of its own)', async () => {
    await withRuntime('acc-rename-unread', async (rt, home) => {
      const getDataset = rt.deps.datasets.getDataset.bind(rt.deps.datasets);
      // The raw table no longer reads the last file: its rows reach neither the refine nor the rejects.
      const hide = (sql: string): string => sql.replace(/"\$path" IN \(:objects\)/g, (m) => `${m} AND NOT regexp_like("$path", '${files.map((f) => f.key).sort().at(-1)?.split('/').pop() ?? ''}')`);
      rt.deps.datasets.getDataset = async (name) => {
        const found = await getDataset(name);
        return found && { ...found, refineSql: hide(found.refineSql), ...(found.rejectsSql ? { rejectsSql: hide(found.rejectsSql) } : {}) };
      };
      const { run, lines } = await dropRenamedLast(rt, home);
      expect(run.rowCounts).toEqual({ read: lines, refined: 0, rejected: 0, duplicates: 0 });
      expect(run.error?.errorClass).toBe('accounting');
      expect(await refineOf(rt, run)).toMatchObject({ status: 'failed' });
      const alert = (await alertsOf(home)).find((a) => a.detail.runId === run.runId);
      expect(alert?.detail).toMatchObject({ stage: 'refine', errorClass: 'accounting', object: { key: run.object.key } });
      expect(alert?.detail.message).toContain(`${lines} of its ${lines} rows were neither refined`);
    });
  });

  it('settles a refine of several windows once, when the last is in: one RefinedWritten, counts summed over the windows', async () => {
    await withRuntime('acc-windows', async (rt, home) => {
      const reading = (h: number, speed: unknown): string => JSON.stringify({ uniqueId: 'W1', recordTimestamp: new Date(Date.UTC(2026, 0, 5) + h * 3_600_000).toISOString(), currentSpeed: speed, previousSpeed: 80, bezettingsgraad: 10, trafficIntensityClass2: 1, trafficIntensityClass3: 0, trafficIntensityClass4: 0, trafficIntensityClass5: 0 });
      // One object whose readings span 150 hours (two refine windows of at most 100), a reading twice, one invalid.
      const lines = [...Array.from({ length: 150 }, (_, h) => reading(h, 80)), reading(120, 80), reading(7, 300)];
      const refined: { runIds: string[]; partitions: unknown[]; rowCounts: unknown }[] = [];
      rt.bus.onEvent(({ event }) => {
        if (event['detail-type'] === 'RefinedWritten') refined.push(event.detail as { runIds: string[]; partitions: unknown[]; rowCounts: unknown });
      });
      const jobs: string[] = [];
      const putJob = rt.deps.jobs.putJob.bind(rt.deps.jobs);
      rt.deps.jobs.putJob = async (kind, id, record) => {
        // Each window is recorded under its job id before its query starts, then under the query id.
        if (kind === 'refine' && !id.startsWith('refine-')) jobs.push(id);
        await putJob(kind, id, record);
      };
      await dropFiles(home, [{ key: 'traffic/2026/01/05/00/long.jsonl', body: `${lines.join('\n')}\n` }]);
      await settle(rt);
      expect(jobs).toHaveLength(2);
      const [run] = await allRuns(rt);
      expect(run?.rowCounts).toEqual({ read: 152, refined: 150, rejected: 1, duplicates: 1 });
      expect(run && (await refineOf(rt, run))).toMatchObject({ status: 'succeeded' });
      expect(refined).toHaveLength(1);
      expect(refined[0]?.rowCounts).toEqual({ read: 152, refined: 150, rejected: 1, duplicates: 1 });
      expect(refined[0]?.partitions.length).toBeGreaterThanOrEqual(150);
    });
  });

  it('a redelivery after the swap (staging moved out) reuses the recorded counts, so the run stays balanced', async () => {
    await withRuntime('acc-redelivery', async (rt, home) => {
      const queries: string[] = [];
      const putJob = rt.deps.jobs.putJob.bind(rt.deps.jobs);
      rt.deps.jobs.putJob = async (kind, id, record) => {
        if (kind === 'refine') queries.push(id);
        await putJob(kind, id, record);
      };
      await dropFiles(home, files.slice(0, 5));
      await settle(rt);
      expect(queries.length).toBeGreaterThan(0);
      const before = await allRuns(rt);
      // As if announce-refined crashed after its swap and the bus delivered the state change again.
      for (const queryExecutionId of queries) await announceRefined({ queryExecutionId, state: 'SUCCEEDED' }, rt.deps);
      const after = await allRuns(rt);
      expect(after.map((r) => [r.runId, r.rowCounts, r.error])).toEqual(before.map((r) => [r.runId, r.rowCounts, undefined]));
      expect((await alertsOf(home)).filter((a) => a.detail.errorClass === 'accounting')).toEqual([]);
    });
  });

  it('counts rows through the engine for objects not counted at landing, and names an object the raw table does not read', async () => {
    await withRuntime('acc-engine-count', async (rt, home) => {
      await dropFiles(home, files.slice(0, 3));
      await settle(rt);
      const [first] = files;
      if (!first) throw new Error('the sample has files');
      const uri = `s3://${rt.deps.topology.buckets.raw}/${first.key}`;
      expect(await countRowsRead(rt.deps, 'traffic', [uri])).toEqual(new Map([[uri, linesIn(first.body)]]));
      const ghost = `s3://${rt.deps.topology.buckets.raw}/traffic/elsewhere.jsonl`;
      await expect(countRowsRead(rt.deps, 'traffic', [uri, ghost])).rejects.toThrow(AccountingError);
      await expect(countRowsRead(rt.deps, 'traffic', [uri, ghost])).rejects.toThrow(`reads no row of 1 landed object(s), so their rows cannot be refined or rejected: ${ghost}`);
    });
  });
});
