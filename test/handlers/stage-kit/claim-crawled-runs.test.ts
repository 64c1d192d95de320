import '../../integration/quiet-logs';
import { claimCrawledRuns } from '../../../handlers/stage-kit/claim-crawled-runs';
import { runsAwaitingCrawl } from '../../../handlers/stage-kit/awaiting-runs';
import { openRuntime, tempDirs } from '../../integration/pipeline-harness';

jest.setTimeout(120_000);

describe('claimCrawledRuns', () => {
  const dir = tempDirs();

  it('gives each waiting run to exactly one of two overlapping crawl announcements, and a retry its own runs again', async () => {
    const rt = await openRuntime(await dir('claim-runs'));
    try {
      const at = '2026-01-05T08:00:00.000Z';
      for (let i = 0; i < 40; i++) {
        const runId = `run-${String(i).padStart(2, '0')}`;
        await rt.deps.runs.recordLanding({ runId, dataset: 'traffic', object: { bucket: 'tributary-raw', key: `traffic/${runId}.jsonl`, etag: runId, size: 1 }, landedAt: at });
        await rt.deps.runs.transition({ runId, stage: 'register-landing', status: 'succeeded', at });
      }
      // Both crawls started after every landing, so both find all 40 runs waiting.
      const waiting = await runsAwaitingCrawl(rt.deps.runs, 'traffic', '2026-01-05T09:00:00.000Z');
      expect(waiting).toHaveLength(40);
      const [a, b] = await Promise.all([claimCrawledRuns(rt.deps, waiting, 'raw@1'), claimCrawledRuns(rt.deps, waiting, 'raw@2')]);
      const ids = (runs: typeof waiting) => runs.map((r) => r.runId);
      expect([...ids(a), ...ids(b)].sort()).toEqual(ids(waiting));
      expect((await claimCrawledRuns(rt.deps, waiting, 'raw@1')).map((r) => r.runId)).toEqual(ids(a));
      expect(await claimCrawledRuns(rt.deps, waiting, 'raw@3')).toEqual([]);
    } finally {
      await rt.close();
    }
  });
});
