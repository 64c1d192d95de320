import type { RunDetail } from '../../../../handlers/ports/run-store';
import { pageRuns } from '../../../../infra/operator/read-side/run-listing';
import { describeRun } from '../../../../infra/operator/read-side/run-view';

const T0 = Date.parse('2026-01-05T10:00:00.000Z');
const at = (ms: number): string => new Date(T0 + ms).toISOString();

const detail: RunDetail = {
  run: { runId: 'r1', dataset: 'traffic', object: { bucket: 'b', key: 'k', etag: 'e', size: 1 }, landedAt: at(0), updatedAt: at(9000), lastStage: 'refine', lastStatus: 'succeeded', rowCounts: { read: 10, refined: 7, rejected: 2, duplicates: 1 }, rowsAtLanding: 10 },
  stages: [
    { stage: 'refine', status: 'succeeded', attempts: 1, startedAt: at(5000), endedAt: at(9000), updatedAt: at(9000) },
    { stage: 'register-landing', status: 'succeeded', attempts: 1, startedAt: at(100), endedAt: at(600), updatedAt: at(600) },
    { stage: 'announce-crawl', status: 'succeeded', attempts: 0, endedAt: at(4000), updatedAt: at(4000) },
  ],
  timeline: [],
  lineage: [{ partition: 'year=2026/month=01/day=05/hour=10', forecastOutputs: [] }],
};

describe('describeRun', () => {
  it('lays the stages out from the landing, a stage without a start beginning where the one before ended, and balances the rows', async () => {
    const view = await describeRun({ getRun: async (id) => (id === 'r1' ? detail : undefined) }, 'r1');
    expect(view?.spans.map((s) => [s.stage, s.startMs, s.endMs])).toEqual([
      ['register-landing', 100, 600],
      ['announce-crawl', 600, 4000],
      ['refine', 5000, 9000],
    ]);
    expect(view?.rows).toEqual({ atLanding: 10, read: 10, refined: 7, rejected: 2, duplicates: 1, balanced: true });
    expect(await describeRun({ getRun: async () => undefined }, 'r2')).toBeUndefined();
  });
});

describe('pageRuns', () => {
  const run = (runId: string, dataset: string, landedMs: number, lastStatus: 'succeeded' | 'failed') => ({ ...detail.run, runId, dataset, landedAt: at(landedMs), lastStatus });
  const all = [run('r4', 'traffic', 4000, 'failed'), run('r3', 'energy', 3000, 'succeeded'), run('r2', 'traffic', 2000, 'succeeded'), run('r1', 'traffic', 1000, 'succeeded')];

  it('filters by dataset, status and landing window, then cuts the page, keeping the facets of every run', () => {
    const page = pageRuns(all, { dataset: 'traffic', status: 'succeeded', from: at(1000), to: at(4000) }, { offset: 1, limit: 5 });
    expect(page.total).toBe(2);
    expect(page.runs.map((r) => r.runId)).toEqual(['r1']);
    expect(page.facets.datasets).toEqual(['energy', 'traffic']);
    expect(page.facets.statuses).toContain('quarantined');
  });
});
