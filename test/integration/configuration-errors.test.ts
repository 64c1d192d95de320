import './quiet-logs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ruleTable } from '../../events/rules';
import { StageId } from '../../events/stage-ids';
import { localTopologyNames } from '../../events/topology-names';
import { stages } from '../../handlers/stages';
import { DEFAULT_SQL_DIR, FolderDatasetStore } from '../../infra/datasets/folder-dataset-store';
import { LOCAL_ARCHIVE, type EmbeddedRuntime } from '../../infra/local/runtime/embedded-runtime';
import { generateTrafficSample } from '../../infra/shipped/traffic-sample';
import { allRuns, countRows, dropFiles, openRuntime, readSample, settle, tempDir } from './pipeline-harness';

jest.setTimeout(180_000);

interface AlertLine {
  readonly detail: { stage: string; errorClass: string; errorName: string; message: string; retryable: boolean; runId?: string; runIds?: string[] };
}

/** The alerts the runtime wrote. */
async function alertsOf(home: string): Promise<AlertLine[]> {
  return (await fs.readFile(path.join(home, 'alerts.jsonl'), 'utf8').catch(() => ''))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as AlertLine);
}

/** Opens a runtime on `<root>/home` that reads its datasets from `dir`, and counts stage throws (bus retries). */
async function runtimeWithDatasets(root: string, dir: string): Promise<{ rt: EmbeddedRuntime; home: string; seen: { throws: string[] } }> {
  const home = path.join(root, 'home');
  const rt = await openRuntime(home);
  const datasets = new FolderDatasetStore(dir);
  rt.deps.datasets.getDataset = (name) => datasets.getDataset(name);
  rt.deps.datasets.listDatasets = () => datasets.listDatasets();
  return { rt, home, seen: countThrows(rt) };
}

/** A copy of the shipped datasets under `<root>/sql`, with `edit` applied to one traffic file; returns the line it changed. */
async function datasetsWith(root: string, name: string, edit: { from: string; to: string }): Promise<{ dir: string; line: number }> {
  const dir = path.join(root, 'sql');
  await fs.cp(DEFAULT_SQL_DIR, dir, { recursive: true });
  const file = path.join(dir, 'traffic', name);
  const text = await fs.readFile(file, 'utf8');
  const at = text.indexOf(edit.from);
  if (at === -1) throw new Error(`${name} no longer contains ${JSON.stringify(edit.from)}`);
  await fs.writeFile(file, `${text.slice(0, at)}${edit.to}${text.slice(at + edit.from.length)}`);
  return { dir, line: text.slice(0, at).split('\n').length };
}

/** Replays the archive from `from` until now to the rule that targets `stage` only (what an operator does once a file is fixed). */
async function replayToStage(rt: EmbeddedRuntime, name: string, from: Date, stage: StageId): Promise<void> {
  const rule = ruleTable(localTopologyNames).find((r) => r.target === stage)?.id ?? '';
  const arn = 'arn:aws:events:us-east-1:000000000000';
  const bus = localTopologyNames.busName;
  await rt.bus.startReplay({
    ReplayName: name,
    EventSourceArn: `${arn}:archive/${LOCAL_ARCHIVE}`,
    EventStartTime: from,
    EventEndTime: new Date(Date.now() + 1000),
    Destination: { Arn: `${arn}:event-bus/${bus}`, FilterArns: [`${arn}:rule/${bus}/${rule}`] },
  });
}

/** Counts every throw of the stages that read a dataset's files: each would be a bus retry. */
function countThrows(rt: EmbeddedRuntime): { throws: string[] } {
  const seen = { throws: [] as string[] };
  for (const id of [StageId.RegisterLanding, StageId.Refine, StageId.AnnounceRefined]) {
    rt.bus.registerStageHandler(id, async (event) => {
      try {
        await stages[id](event, rt.deps);
      } catch (err) {
        seen.throws.push(`${id}: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      }
    });
  }
  return seen;
}

/** Deliverable 5: a mistake in a dataset's SQL or manifest fails at once, once, naming the file and line; it is never retried. */
describe('a mistake in a dataset\'s files (SQL that cannot bind or compile, a manifest the contract rejects) fails at once as a configuration error', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['an unbound placeholder', 'refine.sql', { from: 'AND eventtime < CAST(:window_end AS timestamp)', to: 'AND eventtime < CAST(:window_finish AS timestamp)' }, /no value for placeholder :window_finish/],
    ['a column the table lacks', 'refine.sql', { from: '    bezettingsgraad,\n', to: '    occupancy AS bezettingsgraad,\n' }, /COLUMN_NOT_FOUND: line \d+:\d+: Column 'occupancy' cannot be resolved/],
    ['a column the table lacks', 'rejects.sql', { from: '  bezettingsgraad,\n', to: '  occupancy AS bezettingsgraad,\n' }, /rejects query FAILED: COLUMN_NOT_FOUND: line \d+:\d+: Column 'occupancy' cannot be resolved/],
  ])('%s in %s: exactly one StageFailed (configuration) naming the file and the line, no retry, no DLQ entry', async (_what, name, edit, reason) => {
    const root = await tempDir('config-error');
    dirs.push(root);
    const { dir, line } = await datasetsWith(root, name, edit);
    const sample = await generateTrafficSample({ outDir: path.join(root, 'sample'), sensors: 2, hours: 1, filesPerHour: 1, seed: 5 });
    const { rt, home, seen } = await runtimeWithDatasets(root, dir);
    try {
      await dropFiles(home, await readSample(path.join(root, 'sample'), sample.keys.slice(0, 1)));
      await settle(rt);

      const alerts = await alertsOf(home);
      expect(alerts).toHaveLength(1);
      const detail = alerts[0]?.detail;
      expect(detail).toMatchObject({ stage: StageId.Refine, errorClass: 'configuration', errorName: 'ConfigurationError', retryable: false });
      const where = `sql/traffic/${name} line ${line}: `;
      expect(detail?.message.slice(0, where.length)).toBe(where);
      expect(detail?.message).toMatch(reason);
      expect(seen.throws).toEqual([]);
      expect(rt.bus.listDeadLetterQueues()).toEqual([]);
      const runs = await allRuns(rt);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ lastStage: StageId.Refine, lastStatus: 'failed' });
      expect(detail?.runIds).toEqual([runs[0]?.runId]);
      expect((await rt.deps.runs.getRun(runs[0]?.runId ?? ''))?.stages.find((s) => s.stage === StageId.Refine)?.error).toMatchObject({ errorClass: 'configuration', retryable: false });
    } finally {
      await rt.close();
    }
  });

  it('a manifest the contract rejects: the landing fails once (configuration) naming sql/traffic/manifest.json and the line; the file stays in raw', async () => {
    const root = await tempDir('config-manifest');
    dirs.push(root);
    const { dir, line } = await datasetsWith(root, 'manifest.json', { from: '"by": "hour"', to: '"by": "fortnight"' });
    const sample = await generateTrafficSample({ outDir: path.join(root, 'sample'), sensors: 2, hours: 1, filesPerHour: 1, seed: 5 });
    const { rt, home, seen } = await runtimeWithDatasets(root, dir);
    try {
      const key = sample.keys[0] ?? '';
      await dropFiles(home, await readSample(path.join(root, 'sample'), [key]));
      await settle(rt);
      const alerts = await alertsOf(home);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]?.detail).toMatchObject({ stage: StageId.RegisterLanding, errorClass: 'configuration', retryable: false });
      expect(alerts[0]?.detail.message).toMatch(new RegExp(`^sql/traffic/manifest\\.json line ${line}: the dataset manifest contract rejects it: partitioning\\.by: `));
      expect(seen.throws).toEqual([]);
      expect(rt.bus.listDeadLetterQueues()).toEqual([]);
      const runs = await allRuns(rt);
      expect(runs.map((r) => [r.runId, r.lastStage, r.lastStatus])).toEqual([[alerts[0]?.detail.runId, StageId.RegisterLanding, 'failed']]);
      await expect(fs.access(path.join(home, 'lake', 'raw', ...key.split('/')))).resolves.toBeUndefined();
    } finally {
      await rt.close();
    }
  });

  it('once the file is fixed, a replay of the raw crawl refines the failed run: no restart, no redrive', async () => {
    const root = await tempDir('config-fixed');
    dirs.push(root);
    const broken = { from: 'AND eventtime < CAST(:window_end AS timestamp)', to: 'AND eventtime < CAST(:window_finish AS timestamp)' };
    const { dir } = await datasetsWith(root, 'refine.sql', broken);
    const sample = await generateTrafficSample({ outDir: path.join(root, 'sample'), sensors: 2, hours: 1, filesPerHour: 1, seed: 5 });
    const { rt, home, seen } = await runtimeWithDatasets(root, dir);
    try {
      const from = new Date(Date.now() - 60_000);
      await dropFiles(home, await readSample(path.join(root, 'sample'), sample.keys.slice(0, 1)));
      await settle(rt);
      expect((await allRuns(rt)).map((r) => r.lastStatus)).toEqual(['failed']);
      const file = path.join(dir, 'traffic', 'refine.sql');
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace(broken.to, broken.from));
      await replayToStage(rt, 'after-the-fix', from, StageId.Refine);
      await settle(rt);
      const runs = await allRuns(rt);
      expect(runs.map((r) => r.lastStatus)).toEqual(['succeeded']);
      expect(await countRows(rt, 'tributary_refined.traffic')).toBeGreaterThan(0);
      expect(seen.throws).toEqual([]);
      expect(rt.bus.listDeadLetterQueues()).toEqual([]);
    } finally {
      await rt.close();
    }
  });

  it('a view that cannot compile is a failure no run carries: it stays open in run state (so wait exits 1) until the views publish again', async () => {
    const root = await tempDir('config-view');
    dirs.push(root);
    const broken = { from: 'SELECT\n  uniqueid,\n  eventtime,\n  currentspeed,', to: 'SELECT\n  uniqueid,\n  eventtime,\n  currentspeedx AS currentspeed,' };
    const { dir } = await datasetsWith(root, 'views/current_jams.sql', broken);
    const sample = await generateTrafficSample({ outDir: path.join(root, 'sample'), sensors: 2, hours: 1, filesPerHour: 1, seed: 5 });
    const { rt, home } = await runtimeWithDatasets(root, dir);
    try {
      const from = new Date(Date.now() - 60_000);
      await dropFiles(home, await readSample(path.join(root, 'sample'), sample.keys.slice(0, 1)));
      await settle(rt);
      expect((await allRuns(rt)).map((r) => r.lastStatus)).toEqual(['succeeded']);
      const open = await rt.deps.runs.listStageFailures();
      expect(open).toEqual([expect.objectContaining({ stage: StageId.PublishViews, dataset: 'traffic', error: expect.objectContaining({ errorClass: 'configuration', retryable: false }) })]);
      expect(open[0]?.error.message).toMatch(/^sql\/traffic\/views\/current_jams\.sql line \d+: /);
      const file = path.join(dir, 'traffic', 'views', 'current_jams.sql');
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace(broken.to, broken.from));
      await replayToStage(rt, 'views-fixed', from, StageId.PublishViews);
      await settle(rt);
      expect(await rt.deps.runs.listStageFailures()).toEqual([]);
    } finally {
      await rt.close();
    }
  });
});
