import type { StageDeps } from '../stage-deps';
import { reportFailure, type FailureContext } from './report-failure';
import { classifyError } from './stage-error';

/** The ports this module's calls use. */
type KitDeps = Pick<StageDeps, 'clock' | 'publisher' | 'runs'>;

/**
 * Runs a stage's core with the failure discipline every stage shares: a poison error (not
 * retryable) is reported at once as `StageFailed` and swallowed, so the bus does not retry what
 * cannot succeed; a retryable error is rethrown for the bus to retry, and ends in the rule's DLQ
 * (which alarms) if it keeps failing. `context` is read after the core, so the core can fill it in. A
 * failure that concerns no run stays open in run state until the stage succeeds for the same context.
 */
export async function runStage(deps: KitDeps, context: () => FailureContext, core: () => Promise<void>): Promise<void> {
  try {
    await core();
  } catch (err) {
    if (classifyError(err).retryable) throw err;
    await reportFailure(deps, context(), err);
    return;
  }
  // A success closes the stage's open run-less failure for the same dataset and zone, if any.
  const ctx = context();
  if (ctx.dataset !== undefined && ctx.runId === undefined && (ctx.runIds ?? []).length === 0) await deps.runs.clearStageFailure(ctx.stage, ctx.dataset, ctx.zone);
}
