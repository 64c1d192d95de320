import { PipelineError } from '../../../contracts/pipeline-error';

/** The account local ARNs and error messages name. */
export const LOCAL_ACCOUNT = '000000000000';

/**
 * An error of the local Firehose API, carrying Firehose's `__type` in `code` so the endpoint answers
 * what the service would and `@aws-sdk/client-firehose` raises the same exception class. Poison for
 * the request (the same input fails the same way) unless `retryable` (ServiceUnavailableException).
 */
export class FirehoseError extends PipelineError {
  constructor(
    readonly code: string,
    message: string,
    options?: { readonly cause?: unknown; readonly retryable?: boolean },
  ) {
    super(message, { retryable: options?.retryable ?? false, cause: options?.cause });
    this.name = code;
  }
}

/** `ResourceNotFoundException` for a stream name, with Firehose's message. Poison. */
export function streamNotFound(name: string): FirehoseError {
  return new FirehoseError('ResourceNotFoundException', `Firehose ${name} under account ${LOCAL_ACCOUNT} not found.`);
}

/** `ResourceInUseException` for a name already taken, with Firehose's message. Poison. */
export function streamInUse(name: string): FirehoseError {
  return new FirehoseError('ResourceInUseException', `Firehose ${name} under accountId ${LOCAL_ACCOUNT} already exists`);
}

/** `InvalidArgumentException`: a value the service refuses. Poison. */
export function invalidArgument(message: string): FirehoseError {
  return new FirehoseError('InvalidArgumentException', message);
}

/** `ValidationException`: a member violates the API model's constraints (AWS's "N validation errors detected"). Poison. */
export function validationError(message: string): FirehoseError {
  return new FirehoseError('ValidationException', message);
}

/**
 * `ServiceUnavailableException` "Slow down.": the stream's undelivered backlog is full (delivery to the
 * lake is failing or behind). Retryable: resend the record later, as AWS advises.
 */
export function slowDown(): FirehoseError {
  return new FirehoseError('ServiceUnavailableException', 'Slow down.', { retryable: true });
}
