import type { RunSummary } from '../../../handlers/ports/run-store';
import { runProgress } from '../../../handlers/stage-kit/run-progress';

const run = (lastStage?: string, lastStatus?: RunSummary['lastStatus'], withEvents = true): RunSummary => ({
  runId: 'r',
  dataset: 'traffic',
  object: { bucket: 'tributary-raw', key: 'traffic/a.jsonl', etag: 'e', size: 1 },
  landedAt: '2026-01-05T00:00:00Z',
  updatedAt: '2026-01-05T00:00:00Z',
  ...(withEvents ? { eventTimeRange: { min: '2026-01-05T00:00:00Z', max: '2026-01-05T00:10:00Z' } } : {}),
  ...(lastStage ? { lastStage } : {}),
  ...(lastStatus ? { lastStatus } : {}),
});

describe('runProgress', () => {
  it('follows the chain: landing, raw crawl, refine, forecast', () => {
    expect(runProgress(run(), true)).toEqual({ state: 'in-progress', waitingOn: 'register-landing' });
    expect(runProgress(run('register-landing', 'succeeded'), true)).toEqual({ state: 'in-progress', waitingOn: 'announce-crawl' });
    expect(runProgress(run('announce-crawl', 'succeeded'), true)).toEqual({ state: 'in-progress', waitingOn: 'refine' });
    expect(runProgress(run('refine', 'running'), true)).toEqual({ state: 'in-progress', waitingOn: 'refine' });
    expect(runProgress(run('refine', 'succeeded'), true)).toEqual({ state: 'in-progress', waitingOn: 'forecast' });
    expect(runProgress(run('forecast', 'succeeded'), true)).toEqual({ state: 'done' });
  });

  it('ends at refine for a dataset without a forecast or a run without event times', () => {
    expect(runProgress(run('refine', 'succeeded'), false)).toEqual({ state: 'done' });
    expect(runProgress(run('refine', 'succeeded', false), true)).toEqual({ state: 'done' });
  });

  it('counts failed and quarantined runs as ended with a failure, at any stage', () => {
    expect(runProgress(run('register-landing', 'quarantined'), true)).toEqual({ state: 'failed' });
    expect(runProgress(run('announce-refined', 'failed'), true)).toEqual({ state: 'failed' });
  });
});
