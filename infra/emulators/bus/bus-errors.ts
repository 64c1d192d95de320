import { PipelineError } from '../../../contracts/pipeline-error';

/**
 * Errors of the local bus's management and PutEvents APIs, one class per EventBridge exception.
 *
 * Each carries the AWS `__type` in `code`, so the EventBridge endpoint answers exactly what the real
 * service would and SDK clients raise the same exception class. All are poison for the caller's
 * request (retrying the same input fails the same way) except {@link BusInternalError}.
 */
export class BusError extends PipelineError {
  constructor(
    readonly code: string,
    message: string,
    options?: { readonly cause?: unknown; readonly retryable?: boolean },
  ) {
    super(message, { retryable: options?.retryable ?? false, cause: options?.cause });
    this.name = code;
  }
}

/** `ValidationException`: the request is malformed or violates a limit. Poison. */
export class BusValidationError extends BusError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super('ValidationException', message, options);
  }
}

/** `ResourceNotFoundException`: a named bus, rule, archive, replay or DLQ message does not exist. Poison. */
export class BusResourceNotFoundError extends BusError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super('ResourceNotFoundException', message, options);
  }
}

/** `ResourceAlreadyExistsException`: an archive or replay of that name exists. Poison. */
export class BusResourceAlreadyExistsError extends BusError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super('ResourceAlreadyExistsException', message, options);
  }
}

/** `InvalidEventPatternException`: the pattern failed to compile; the message says why. Poison. */
export class BusInvalidEventPatternError extends BusError {
  constructor(reason: string, options?: { readonly cause?: unknown }) {
    super('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`, options);
  }
}

/** `LimitExceededException`: too many targets per rule or active replays. Poison until something is removed. */
export class BusLimitExceededError extends BusError {
  constructor(message = 'The requested resource exceeds the maximum number allowed.', options?: { readonly cause?: unknown }) {
    super('LimitExceededException', message, options);
  }
}

/** `InternalException`: the bus failed to persist or read its own state (disk error). Retryable. */
export class BusInternalError extends BusError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super('InternalException', message, { ...options, retryable: true });
  }
}

/** `ManagedRuleException`: the rule is the pipeline's own; only `Force` deletes it or removes its targets. Poison. */
export class BusManagedRuleError extends BusError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super('ManagedRuleException', message, options);
  }
}

/** `IllegalStatusException`: the resource is in a state that does not allow the operation (e.g. cancelling a finished replay). Poison. */
export class BusIllegalStatusError extends BusError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super('IllegalStatusException', message, options);
  }
}
