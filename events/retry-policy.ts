import type { RetryPolicy } from './rules';

/**
 * The pace of a realisation's retries: the first retry waits about `baseMs`, each next one twice as
 * long, never more than `maxMs`. The rule's policy says how long and how often; the backoff is the
 * realisation's (seconds locally, minutes on AWS, where a crawl or a query takes minutes).
 */
export interface Backoff {
  readonly baseMs: number;
  readonly maxMs: number;
}

/** EXHAUSTED_RETRY_CONDITION values: EventBridge's two, plus the one for errors that say retrying is pointless. */
export const ExhaustedRetryCondition = {
  Attempts: 'MaximumRetryAttempts',
  Age: 'MaximumEventAgeInSeconds',
  NotRetryable: 'NonRetryableError',
} as const;

/** One EXHAUSTED_RETRY_CONDITION value. */
export type ExhaustedRetryCondition = (typeof ExhaustedRetryCondition)[keyof typeof ExhaustedRetryCondition];

/** ERROR_CODE of a delivery whose stage threw: retryable, or flagged poison (not retryable). */
export const StageErrorCode = {
  HandlerError: 'HANDLER_ERROR',
  PoisonEvent: 'POISON_EVENT',
} as const;

/** A failed attempt of one delivery: what the retry decision needs to know. */
export interface FailedAttempt {
  /** Attempts made so far, this failed one included (1 after the first failure). */
  readonly attempts: number;
  /** Whether the error says a retry could succeed. */
  readonly retryable: boolean;
  /** When the delivery's age started (ms): the bus's ingestion of the event, or its arrival in the stage's queue. */
  readonly ageStartMs: number;
  readonly nowMs: number;
  /** A number in [0, 1): the jitter. */
  readonly random: number;
}

/** What becomes of a failed delivery: tried again after `delayMs`, or dead-lettered for `condition`. */
export type RetryDecision = { readonly retry: true; readonly delayMs: number } | { readonly retry: false; readonly condition: ExhaustedRetryCondition };

/**
 * The wait before retry number `attempts` (1 = the first retry): `base·2^(attempts-1)`, capped at
 * `max`, times a jitter factor in [0.5, 1).
 */
export function backoffDelayMs(backoff: Backoff, attempts: number, random: number): number {
  const exponential = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.5 + random / 2));
}

/**
 * The meaning of a rule's retry policy, the same on the local bus and on AWS: after a failed attempt,
 * a non-retryable error is dead-lettered at once; a delivery that has had its `maximumRetryAttempts`
 * retries (so `maximumRetryAttempts + 1` attempts) is dead-lettered; a retry that would start later
 * than `maximumEventAgeInSeconds` after the delivery's age started is not made (dead-lettered now, not
 * after the wait); otherwise the delivery is retried after {@link backoffDelayMs}.
 */
export function decideRetry(policy: RetryPolicy, backoff: Backoff, failed: FailedAttempt): RetryDecision {
  if (!failed.retryable) return { retry: false, condition: ExhaustedRetryCondition.NotRetryable };
  if (failed.attempts > policy.maximumRetryAttempts) return { retry: false, condition: ExhaustedRetryCondition.Attempts };
  const delayMs = backoffDelayMs(backoff, failed.attempts, failed.random);
  if (failed.nowMs + delayMs - failed.ageStartMs > policy.maximumEventAgeInSeconds * 1000) return { retry: false, condition: ExhaustedRetryCondition.Age };
  return { retry: true, delayMs };
}

/** Whether a stage's error says retrying is pointless (`retryable === false` or `poison === true`). */
export function isPoisonError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  return ('retryable' in error && error.retryable === false) || ('poison' in error && error.poison === true);
}

/** How a stage's thrown error is dead-lettered on both realisations: its code, retryability and `Name: message`. */
export function stageFailure(error: unknown): { readonly retryable: boolean; readonly code: string; readonly message: string } {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return isPoisonError(error) ? { retryable: false, code: StageErrorCode.PoisonEvent, message } : { retryable: true, code: StageErrorCode.HandlerError, message };
}
