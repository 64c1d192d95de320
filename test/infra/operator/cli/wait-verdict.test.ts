import type { RunSummary } from '../../../../handlers/ports/run-store';
import { waitVerdict } from '../../../../infra/operator/cli/wait-verdict';

const run = (runId: string, lastStage: string, lastStatus: RunSummary['lastStatus'], errorClass?: string): RunSummary => ({
  runId,
  dataset: 'traffic',
  object: { bucket: 'tributary-raw', key: `traffic/${runId}.jsonl`, etag: 'e', size: 1 },
  landedAt: '2026-01-05T00:00:00Z',
  updatedAt: '2026-01-05T00:00:00Z',
  lastStage,
  ...(lastStatus ? { lastStatus } : {}),
  ...(errorClass ? { error: { errorClass, message: `${errorClass} happened`, retryable: false } } : {}),
});

describe('waitVerdict', () => {
  it('is 0 only when every run ended well and no delivery is dead-lettered', () => {
    expect(waitVerdict([run('a', 'forecast', 'succeeded')], [])).toEqual({ code: 0, summary: 'quiescent: every run done, no delivery dead-lettered', problems: [] });
  });

  it('is 1 for a dead-lettered delivery even when every run succeeded, naming the queue and the commands', () => {
    const verdict = waitVerdict([run('a', 'forecast', 'succeeded')], [{ queue: 'tributary-publish-views-dlq' }, { queue: 'tributary-publish-views-dlq' }]);
    expect(verdict.code).toBe(1);
    expect(verdict.problems).toEqual(['tributary: 2 delivery(ies) dead-lettered (tributary-publish-views-dlq) → tributary dlq list, then tributary dlq redrive --all once the cause is fixed']);
  });

  it('is 1 for failed, stalled and quarantined runs, counted by class and named with the command that inspects each', () => {
    const runs = [run('ok', 'forecast', 'succeeded'), run('s1', 'announce-crawl', 'failed', 'stalled'), run('q1', 'register-landing', 'quarantined', 'input'), run('a1', 'refine', 'failed', 'accounting')];
    const verdict = waitVerdict(runs, []);
    expect(verdict.code).toBe(1);
    expect(verdict.problems[0]).toBe('tributary: 3 run(s) failed, stalled or quarantined (1 stalled, 1 input, 1 accounting):');
    expect(verdict.problems.slice(1)).toEqual([
      '  announce-crawl stalled: traffic/s1.jsonl: stalled happened  → tributary run s1',
      '  register-landing input: traffic/q1.jsonl: input happened  → tributary run q1',
      '  refine accounting: traffic/a1.jsonl: accounting happened  → tributary run a1',
    ]);
  });

  it('names ten runs and counts the rest', () => {
    const runs = Array.from({ length: 12 }, (_, i) => run(`r${i}`, 'refine', 'failed', 'dependency'));
    expect(waitVerdict(runs, []).problems.slice(-1)).toEqual(['  … and 2 more (tributary runs)']);
  });

  it('is 1 for an open run-less stage failure (a broken view) even when every run succeeded', () => {
    const failure = { stage: 'publish-views', dataset: 'traffic', error: { errorClass: 'configuration', message: 'sql/traffic/views/v.sql line 3: no column x', retryable: false }, at: '2026-01-05T10:00:00.000Z' };
    const verdict = waitVerdict([run('a', 'forecast', 'succeeded')], [], [failure]);
    expect(verdict.code).toBe(1);
    expect(verdict.problems).toEqual([
      'tributary: 1 stage failure(s) no run carries, open until the stage succeeds again:',
      '  publish-views configuration (traffic) at 2026-01-05T10:00:00.000Z: sql/traffic/views/v.sql line 3: no column x',
    ]);
  });

  it('is 1 for a run still on its way although nothing runs (one run state could not mark failed), naming the stage it waits on', () => {
    const verdict = waitVerdict([run('ok', 'forecast', 'succeeded'), run('w', 'register-landing', 'succeeded')], []);
    expect(verdict.code).toBe(1);
    expect(verdict.problems).toEqual(['tributary: 1 run(s) not done although nothing is running (stalled):', '  waits on announce-crawl: traffic/w.jsonl  → tributary run w']);
  });

  it('counts a run ended at refine as done for a dataset without a forecast', () => {
    const refined = { ...run('r', 'refine', 'succeeded'), eventTimeRange: { min: '2026-01-05T00:00:00Z', max: '2026-01-05T00:10:00Z' } };
    expect(waitVerdict([refined], [], [], () => false).code).toBe(0);
    expect(waitVerdict([refined], [], [], () => true).code).toBe(1);
  });
});
