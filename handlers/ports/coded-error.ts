import { PipelineError } from '../../contracts/pipeline-error';

/**
 * The base of the ports' and adapters' errors: the service's error code, with `retryable` from the
 * pipeline's error root. Stages and the bus read `retryable` (retry) and `code` (what happened), never an
 * SDK class; each port names its own subclass so a caller can tell which dependency failed.
 */
export class CodedError extends PipelineError {
  /** The service-style error code (`NoSuchKey`, `ResourceInUse`, `ThrottlingException` …). */
  readonly code: string;

  constructor(message: string, options: { code: string; retryable: boolean; cause?: unknown }) {
    super(message, { retryable: options.retryable, cause: options.cause });
    this.code = options.code;
  }
}
