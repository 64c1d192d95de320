import { ConfigurationError } from '../../contracts/configuration-error';
import { ErrorClass } from '../../contracts/domain-events';
import { PipelineError } from '../../contracts/pipeline-error';

/**
 * A failure a stage raises on purpose. `retryable` (from the error root) decides what happens next:
 * true — the stage throws and the bus retries the delivery (then dead-letters it); false — the input
 * is poison, the stage reports `StageFailed` at once and returns, so the bus does not retry what cannot succeed.
 */
export class StageError extends PipelineError {
  readonly errorClass: ErrorClass;
  constructor(message: string, options: { retryable: boolean; errorClass: ErrorClass; cause?: unknown }) {
    super(message, { retryable: options.retryable, cause: options.cause });
    this.errorClass = options.errorClass;
  }
}

/** Bad input data: an unknown dataset, an unsupported, empty or malformed file. Never retried; quarantined. */
export class PoisonInputError extends StageError {
  override readonly name = 'PoisonInputError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { retryable: false, errorClass: ErrorClass.Input, cause: options.cause });
  }
}

/** A dependency (crawler, query, transform, store) failed in a way a later attempt may not repeat. */
export class DependencyError extends StageError {
  override readonly name = 'DependencyError';
  constructor(message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, { retryable: options.retryable, errorClass: ErrorClass.Dependency, cause: options.cause });
  }
}

/** How a thrown value is reported: its class, name, message and whether a retry may help. */
export interface ClassifiedError {
  readonly errorClass: ErrorClass;
  readonly errorName: string;
  readonly message: string;
  readonly retryable: boolean;
}

/**
 * Classifies anything thrown. A configuration error (a dataset's manifest or SQL) is never retried;
 * ports' errors carry `retryable`; an error without it is a defect or an unknown failure, which is
 * retried (a transient fault heals, a defect ends in the DLQ and pages).
 */
export function classifyError(err: unknown): ClassifiedError {
  if (err instanceof StageError) return { errorClass: err.errorClass, errorName: err.name, message: err.message, retryable: err.retryable };
  if (err instanceof ConfigurationError) return { errorClass: ErrorClass.Configuration, errorName: err.name, message: err.message, retryable: false };
  if (err instanceof Error) {
    const flag: unknown = Reflect.get(err, 'retryable');
    const retryable = typeof flag === 'boolean' ? flag : true;
    const errorClass = retryable ? (typeof flag === 'boolean' ? ErrorClass.Dependency : ErrorClass.Internal) : ErrorClass.Input;
    return { errorClass, errorName: err.name || 'Error', message: err.message || String(err), retryable };
  }
  return { errorClass: ErrorClass.Internal, errorName: 'Error', message: String(err), retryable: true };
}
