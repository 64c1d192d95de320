import type { Logger } from '@aws-lambda-powertools/logger';
import type { RunStore } from '../ports/run-store';

/**
 * Records, in the runs' timelines only, that a step which keeps no state of its own in the run (an
 * announce step, a crawl request) ran on them from `startedAt` to `endedAt`: one batched write of two
 * timeline entries per run (`recordStarts`), so a run's timeline shows its whole chain while the writes
 * per run stay constant. The span is a record for operators, never a reason to fail or retry the step:
 * an error is logged and dropped.
 */
export async function markStageSpan(runs: Pick<RunStore, 'recordStarts'>, logger: Pick<Logger, 'warn'>, span: { stage: string; runIds: readonly string[]; startedAt: string; endedAt: string }): Promise<void> {
  if (span.runIds.length === 0) return;
  const endedAt = span.endedAt < span.startedAt ? span.startedAt : span.endedAt;
  await runs.recordStarts(span.runIds.map((runId) => ({ runId, stage: span.stage, at: span.startedAt, endedAt }))).catch((err: unknown) => {
    logger.warn('could not record the stage span in the runs\' timelines', { stage: span.stage, runs: span.runIds.length, error: err instanceof Error ? err.message : String(err) });
  });
}
