import './quiet-logs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { StageId } from '../../events/stage-ids';
import { stages } from '../../handlers/stages';
import { DEFAULT_SQL_DIR, FolderDatasetStore } from '../../infra/datasets/folder-dataset-store';
import type { EmbeddedRuntime } from '../../infra/local/runtime/embedded-runtime';
import { generateTrafficSample } from '../../infra/local/sample/traffic-sample';
import { allRuns, dropFiles, openRuntime, readSample, settle, tempDir } from './pipeline-harness';

jest.setTimeout(180_000);

interface AlertLine {
  readonly detail: { stage: string; errorClass: string; errorName: string; message: string; retryable: boolean; runIds?: string[] };
}

/** A copy of the shipped datasets under `<root>/sql`, with `edit` applied to the traffic refine SQL; returns the line it changed. */
async function datasetsWithRefine(root: string, edit: { from: string; to: string }): Promise<{ dir: string; line: number }> {
  const dir = path.join(root, 'sql');
  await fs.cp(DEFAULT_SQL_DIR, dir, { recursive: true });
  const file = path.join(dir, 'traffic', 'refine.sql');
  const text = await fs.readFile(file, 'utf8');
  const at = text.indexOf(edit.from);
  if (at === -1) throw new Error(`refine.sql no longer contains ${JSON.stringify(edit.from)}`);
  await fs.writeFile(file, `${text.slice(0, at)}${edit.to}${text.slice(at + edit.from.length)}`);
  return { dir, line: text.slice(0, at).split('\n').length };
}

/** Counts every throw of the stages that run the refine SQL: each would be a bus retry. */
function countThrows(rt: EmbeddedRuntime): { throws: string[] } {
  const seen = { throws: [] as string[] };
  for (const id of [StageId.Refine, StageId.AnnounceRefined]) {
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

/** Deliverable 5: a mistake in a dataset's SQL fails at once, once, naming the file and line; it is never retried. */
describe('a refine SQL that cannot bind or compile fails at once as a configuration error', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['an unbound placeholder', { from: 'AND eventtime < CAST(:window_end AS timestamp)', to: 'AND eventtime < CAST(:window_finish AS timestamp)' }, /no value for placeholder :window_finish/],
    ['a column the table lacks', { from: '    bezettingsgraad,\n', to: '    occupancy AS bezettingsgraad,\n' }, /COLUMN_NOT_FOUND: line \d+:\d+: Column 'occupancy' cannot be resolved/],
  ])('%s: exactly one StageFailed (configuration) naming sql/traffic/refine.sql and the line, no retry, no DLQ entry', async (_what, edit, reason) => {
    const root = await tempDir('config-error');
    dirs.push(root);
    const { dir, line } = await datasetsWithRefine(root, edit);
    const sample = await generateTrafficSample({ outDir: path.join(root, 'sample'), sensors: 2, hours: 1, filesPerHour: 1, seed: 5 });
    const home = path.join(root, 'home');
    const rt = await openRuntime(home);
    try {
      const datasets = new FolderDatasetStore(dir);
      rt.deps.datasets.getDataset = (name) => datasets.getDataset(name);
      rt.deps.datasets.listDatasets = () => datasets.listDatasets();
      const seen = countThrows(rt);
      await dropFiles(home, await readSample(path.join(root, 'sample'), sample.keys.slice(0, 1)));
      await settle(rt);

      const alerts: AlertLine[] = (await fs.readFile(path.join(home, 'alerts.jsonl'), 'utf8').catch(() => ''))
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as AlertLine);
      expect(alerts).toHaveLength(1);
      const detail = alerts[0]?.detail;
      expect(detail).toMatchObject({ stage: StageId.Refine, errorClass: 'configuration', errorName: 'ConfigurationError', retryable: false });
      expect(detail?.message.startsWith(`sql/traffic/refine.sql line ${line}: `)).toBe(true);
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
});
