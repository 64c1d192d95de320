import { PipelineError } from '../../contracts/pipeline-error';

/** Errors of the idempotency port. Each says whether retrying can help (`retryable`) or not (poison). */
export class IdempotencyError extends PipelineError {}

/**
 * Another execution holds the same business key right now. Retryable: once it completes, the retry
 * returns its stored result; if it crashed, its hold lapses after the in-progress timeout.
 */
export class IdempotencyInProgressError extends IdempotencyError {
  constructor(message: string, cause?: unknown) {
    super(message, { retryable: true, cause });
  }
}

/** The idempotency store could not be read or written. Retryable. */
export class IdempotencyStoreError extends IdempotencyError {
  constructor(message: string, cause?: unknown) {
    super(message, { retryable: true, cause });
  }
}

/** The input has no business key at `keyPath`, or the key path is invalid. Poison. */
export class IdempotencyKeyError extends IdempotencyError {
  constructor(message: string, cause?: unknown) {
    super(message, { retryable: false, cause });
  }
}
