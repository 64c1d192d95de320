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

  it('shows every step of the chain, a step kept in the timeline only included, each with its wait before it', async () => {
    const chain: RunDetail = {
      ...detail,
      stages: [
        { stage: 'register-landing', status: 'succeeded', attempts: 1, startedAt: at(100), endedAt: at(600), updatedAt: at(600) },
        { stage: 'announce-crawl', status: 'succeeded', attempts: 1, startedAt: at(1500), endedAt: at(4000), updatedAt: at(4000) },
        { stage: 'refine', status: 'succeeded', attempts: 1, startedAt: at(5000), endedAt: at(9000), updatedAt: at(9000) },
      ],
      timeline: [
        { at: at(700), stage: 'request-crawl', status: 'running' },
        { at: at(800), stage: 'request-crawl', status: 'succeeded' },
        { at: at(8000), stage: 'announce-refined', status: 'running' },
        { at: at(9000), stage: 'announce-refined', status: 'succeeded' },
      ],
    };
    const view = await describeRun({ getRun: async () => chain }, 'r1');
    expect(view?.spans.map((s) => [s.stage, s.queuedMs, s.startMs, s.endMs])).toEqual([
      ['register-landing', 0, 100, 600],
      ['request-crawl', 600, 700, 800],
      // Waited for the crawl to start, which then did the work.
      ['announce-crawl', 800, 1500, 4000],
      // The refine's span ends where its announcement starts: the query ran until then.
      ['refine', 4000, 5000, 8000],
      ['announce-refined', 8000, 8000, 9000],
    ]);
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
