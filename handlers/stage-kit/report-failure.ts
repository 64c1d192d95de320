import { DomainDetailType, type LakeObject, type StageFailedDetail, type Zone } from '../../contracts/domain-events';
import type { StageDeps } from '../stage-deps';
import { publishOrRetry } from './publish-or-retry';
import { classifyError } from './stage-error';
import { stageLogger } from './stage-logger';

/** The ports this module's calls use. */
type KitDeps = Pick<StageDeps, 'clock' | 'publisher' | 'runs'>;

const logger = stageLogger('report-failure');

/** What a failure concerns, as far as the failing stage knows. */
export interface FailureContext {
  readonly stage: string;
  readonly dataset?: string;
  readonly zone?: Zone;
  readonly runId?: string;
  readonly runIds?: readonly string[];
  readonly object?: LakeObject;
  /** The terminal status the runs get: `failed` (default), or `quarantined` when the file was moved aside. */
  readonly runStatus?: 'failed' | 'quarantined';
  /** When the stage started on the runs, if that start is in their timelines only (`recordStarts`). */
  readonly startedAt?: string;
}

/** The CLI command an operator runs next for this failure. */
function inspectCommand(ctx: FailureContext): string {
  if (ctx.runId) return `tributary run ${ctx.runId}`;
  if (ctx.runIds && ctx.runIds[0]) return `tributary run ${ctx.runIds[0]}`;
  return 'tributary runs';
}

/** Builds the StageFailed detail of an error in a context. */
export function stageFailedDetail(ctx: FailureContext, err: unknown, now: Date): StageFailedDetail {
  const c = classifyError(err);
  return {
    schemaVersion: 1,
    stage: ctx.stage,
    ...(ctx.dataset ? { dataset: ctx.dataset } : {}),
    ...(ctx.zone ? { zone: ctx.zone } : {}),
    ...(ctx.runId ? { runId: ctx.runId } : {}),
    ...(ctx.runIds && ctx.runIds.length > 0 ? { runIds: [...new Set(ctx.runIds)] } : {}),
    ...(ctx.object ? { object: ctx.object } : {}),
    errorClass: c.errorClass,
    errorName: c.errorName,
    message: c.message.slice(0, 2000),
    retryable: c.retryable,
    inspect: inspectCommand(ctx),
    occurredAt: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

/**
 * Makes a failure loud: marks the runs it concerns failed in run state (with the error), or, when it
 * concerns none, opens a stage failure there; and publishes `StageFailed`, which the alert stage
 * turns into a page.
 */
export async function reportFailure(deps: KitDeps, ctx: FailureContext, err: unknown): Promise<void> {
  const now = deps.clock();
  const detail = stageFailedDetail(ctx, err, now);
  const error = { errorClass: detail.errorClass, message: detail.message, retryable: detail.retryable };
  const runIds = [...new Set([...(ctx.runId ? [ctx.runId] : []), ...(ctx.runIds ?? [])])];
  for (const runId of runIds) {
    // The alert must go out even when run state cannot take the failure; say why it could not.
    await deps.runs.transition({ runId, stage: ctx.stage, status: ctx.runStatus ?? 'failed', at: now.toISOString(), error, ...(ctx.startedAt ? { startedAt: ctx.startedAt } : {}) }).catch((e: unknown) => {
      logger.error('run state could not record the failure', { runId, stage: ctx.stage, error: e instanceof Error ? e.message : String(e) });
    });
  }
  // A failure of a dataset's work that no run carries (its views, a refined or forecast crawl) stays
  // open in run state until the stage succeeds again for the same dataset and zone, so `wait` sees it.
  if (runIds.length === 0 && ctx.dataset) await deps.runs.recordStageFailure({ stage: ctx.stage, dataset: ctx.dataset, ...(ctx.zone ? { zone: ctx.zone } : {}), error, at: now.toISOString() });
  await publishOrRetry(deps.publisher, [{ detailType: DomainDetailType.StageFailed, detail }]);
}
