import type { RunSummary } from '../../../../handlers/ports/run-store';
import { runsProgressSource } from '../../../../infra/operator/cli/progress-runs';

const run = (runId: string, size: number, extra: Partial<RunSummary> = {}): RunSummary => ({
  runId,
  dataset: 'traffic',
  object: { bucket: 'tributary-raw', key: `traffic/${runId}.jsonl`, etag: 'e', size },
  landedAt: '2026-11-20T12:00:00.000Z',
  updatedAt: '2026-11-20T12:00:00.000Z',
  ...extra,
});
const hours = { eventTimeRange: { min: '2026-11-20T10:00:00.000Z', max: '2026-11-20T11:00:00.000Z' } };

describe('runsProgressSource', () => {
  it('counts runs done and failed, rows the refine accounted for, bytes past refine, and weighs the ETA work by bytes and stage', async () => {
    let runs: RunSummary[] = [run('old', 999, { ...hours, lastStage: 'forecast', lastStatus: 'succeeded', rowsAtLanding: 9 })];
    const source = runsProgressSource({ listRuns: async () => ({ runs }) }, async (dataset) => dataset === 'traffic');
    const baseline = await source();
    expect(baseline).toMatchObject({ items: { label: 'runs', verb: 'done', done: 0, total: 0 }, note: 'no run registered yet' });
    runs = [
      ...runs,
      run('landed', 1000, { rowsAtLanding: 100 }),
      run('refined', 500, { ...hours, lastStage: 'refine', lastStatus: 'succeeded', rowsAtLanding: 50, rowCounts: { read: 50, refined: 48, rejected: 2, duplicates: 0 } }),
      run('quarantined', 200, { lastStage: 'register-landing', lastStatus: 'quarantined', rowsAtLanding: 20 }),
      run('done', 300, { ...hours, lastStage: 'forecast', lastStatus: 'succeeded', rowsAtLanding: 30, rowCounts: { read: 30, refined: 30, rejected: 0, duplicates: 0 } }),
      run('no-forecast', 100, { ...hours, dataset: 'plain', lastStage: 'refine', lastStatus: 'succeeded', rowsAtLanding: 10, rowCounts: { read: 10, refined: 10, rejected: 0, duplicates: 0 } }),
    ];
    expect(await source()).toEqual({
      items: { label: 'runs', verb: 'done', done: 2, total: 5, failed: 1 },
      rows: { done: 50 + 20 + 30 + 10, total: 100 + 50 + 20 + 30 + 10 },
      bytes: { done: 500 + 200 + 300 + 100, total: 2100 },
      // landed 0 of its chain, refined 3/4 (waits on forecast), the rest finished.
      work: { done: 0 + 375 + 200 + 300 + 100, total: 2100 },
    });
  });

  it('shows no rows until a run has them counted, and weighs an empty object as one byte', async () => {
    const source = runsProgressSource({ listRuns: async () => ({ runs: [run('empty', 0)] }) }, async () => true);
    const snapshot = await source();
    expect(snapshot.rows).toBeUndefined();
    expect(snapshot.work).toEqual({ done: 0, total: 1 });
  });
});
