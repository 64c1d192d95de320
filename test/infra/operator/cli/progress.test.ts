import type { RunSummary } from '../../../../handlers/ports/run-store';
import { withProgress } from '../../../../infra/operator/cli/progress';

const run = (runId: string, stage?: { lastStage: string; lastStatus: RunSummary['lastStatus'] }): RunSummary => ({
  runId,
  dataset: 'traffic',
  object: { bucket: 'tributary-raw', key: `traffic/${runId}.jsonl`, etag: 'e', size: 1 },
  landedAt: '2026-11-20T12:00:00.000Z',
  updatedAt: '2026-11-20T12:00:00.000Z',
  ...(stage ?? {}),
});

describe('withProgress', () => {
  it('prints the runs by last stage and status every 3 s, a run no stage has touched as landed', async () => {
    jest.useFakeTimers();
    try {
      const lines: string[] = [];
      const ctx = { home: () => '/nowhere', out: () => undefined, err: (line: string) => void lines.push(line) };
      const runs = [run('a'), run('b', { lastStage: 'refine', lastStatus: 'running' }), run('c', { lastStage: 'refine', lastStatus: 'running' })];
      let finish: (v: string) => void = () => undefined;
      const work = new Promise<string>((resolve) => (finish = resolve));
      const shown = withProgress(ctx, { listRuns: async () => ({ runs }) }, work);
      await jest.advanceTimersByTimeAsync(3000);
      finish('done');
      await expect(shown).resolves.toBe('done');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/3 runs — 1 landed, 2 refine:running$/);
      expect(lines[0]).not.toMatch(/undefined/);
      await jest.advanceTimersByTimeAsync(6000);
      expect(lines).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
