/**
 * The root of every error the pipeline raises on purpose. `retryable` says what happens next, and is
 * defined here once: true — the same call may succeed later (throttling, a dependency down), so the
 * caller or the bus retries; false — it never will (poison: bad input, bad configuration, a defect in
 * a request), so it goes straight to a `StageFailed` or the DLQ. It lives in `contracts`, the lowest
 * layer, so events, handlers, ports and adapters all extend the same class.
 */
export class PipelineError extends Error {
  /** True when the same call may succeed later; false when it never will (poison). */
  readonly retryable: boolean;

  constructor(message: string, options: { readonly retryable: boolean; readonly cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable;
  }
}

