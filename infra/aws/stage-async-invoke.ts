import type { RuleRow } from '../../events/rules';
import type { StageId } from '../../events/stage-ids';

/** Lambda's own bounds on an asynchronous invocation's maximum event age, in seconds. */
const LAMBDA_MIN_EVENT_AGE = 60;
const LAMBDA_MAX_EVENT_AGE = 21600;

/**
 * How Lambda handles a stage function's asynchronous invocations once EventBridge handed them over:
 * the retries, the maximum event age and the name of the on-failure queue. EventBridge's retry policy
 * and DLQ end where Lambda accepts the event; a function error is then Lambda's to retry, and without
 * an on-failure destination the event would be dropped (DESIGN invariant 1: nothing is lost).
 */
export const StageAsyncInvoke = {
  /** Lambda retries a function error twice (its maximum) before sending the record to the failure queue. */
  retryAttempts: 2,
  /** Name of the stage function's on-failure queue. */
  failureQueueName: (prefix: string, stage: StageId): string => `${prefix}-${stage}-failures`,
  /**
   * The maximum event age of a stage's asynchronous invocations: the longest retry window a rule row
   * targeting the stage gives EventBridge, clamped to Lambda's 60–21600 s; Lambda's default (21600 s)
   * when no row targets the stage.
   */
  maxEventAgeSeconds: (rows: readonly RuleRow[], stage: StageId): number => {
    const ages = rows.filter((r) => r.target === stage).map((r) => r.retryPolicy.maximumEventAgeInSeconds);
    if (ages.length === 0) return LAMBDA_MAX_EVENT_AGE;
    return Math.max(LAMBDA_MIN_EVENT_AGE, Math.min(LAMBDA_MAX_EVENT_AGE, Math.max(...ages)));
  },
} as const;
