/**
 * The base of the ports' and adapters' errors: the service's error code and whether the same call
 * may succeed later. Stages and the bus read `retryable` (retry) and `code` (what happened), never an
 * SDK class; each port names its own subclass so a caller can tell which dependency failed.
 */
export class CodedError extends Error {
  /** The service-style error code (`NoSuchKey`, `ResourceInUse`, `ThrottlingException` …). */
  readonly code: string;
  /** True when the same call may succeed later; false when it never will (poison). */
  readonly retryable: boolean;

  constructor(message: string, options: { code: string; retryable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.retryable = options.retryable;
  }
}
