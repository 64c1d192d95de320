import { PipelineError } from '../../contracts/pipeline-error';

/**
 * Errors the run store raises. Each says whether retrying can help: `retryable` errors are
 * transient (throttling, the store unreachable); the others are poison and go to the DLQ and an alert.
 */
export class RunStoreError extends PipelineError {}

/** A write about a run that was never recorded. Poison: the landing must be recorded first. */
export class RunNotFoundError extends RunStoreError {
  constructor(runId: string) {
    super(`run ${JSON.stringify(runId)} does not exist in run state`, { retryable: false });
  }
}

/** A landing whose run id is already taken by a different object. Poison: run ids must be unique per object version. */
export class RunConflictError extends RunStoreError {
  constructor(message: string) {
    super(message, { retryable: false });
  }
}

/** An argument the store cannot accept (empty id, bad instant, reversed range …). Poison. */
export class InvalidRunStateInputError extends RunStoreError {
  constructor(message: string) {
    super(message, { retryable: false });
  }
}

/** The store could not be reached or throttled the call. Retryable. */
export class RunStoreUnavailableError extends RunStoreError {
  constructor(message: string, cause?: unknown) {
    super(message, { retryable: true, cause });
  }
}
