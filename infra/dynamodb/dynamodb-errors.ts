import { RunStoreError, RunStoreUnavailableError } from '../../handlers/ports/run-store-errors';

const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
]);

/** True for DynamoDB's "the condition did not hold" answer, which callers handle as a normal outcome. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return isErrorLike(error) && error.name === 'ConditionalCheckFailedException';
}

/** Structural, not `instanceof`: errors from Node's core (sockets, fs) may come from another realm. */
function isErrorLike(error: unknown): error is Error {
  return typeof error === 'object' && error !== null && typeof Reflect.get(error, 'name') === 'string' && typeof Reflect.get(error, 'message') === 'string';
}

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'TimeoutError']);

/** True when the error is a failed or unanswered HTTP exchange with DynamoDB (5xx, reset, refused, timeout). */
function isTransportFailure(error: Error): boolean {
  const code: unknown = Reflect.get(error, 'code');
  if (NETWORK.has(error.name) || (typeof code === 'string' && NETWORK.has(code))) return true;
  const metadata: unknown = Reflect.get(error, '$metadata');
  if (typeof metadata !== 'object' || metadata === null) return false;
  const status: unknown = Reflect.get(metadata, 'httpStatusCode');
  return typeof status !== 'number' || status >= 500;
}

/**
 * Translates an error from the DynamoDB client into the run store's own, at the edge: throttling,
 * 5xx answers and network failures (no HTTP answer at all) are retryable; everything else (a missing
 * table, a validation error) is poison. `what` names the operation for the message.
 */
export function translateDynamoDbError(error: unknown, what: string): RunStoreError {
  if (error instanceof RunStoreError) return error;
  if (!isErrorLike(error)) return new RunStoreError(`${what} failed: ${String(error)}`, { retryable: false, cause: error });
  const message = `${what} failed: ${error.name}: ${error.message}`;
  if (RETRYABLE.has(error.name) || isTransportFailure(error)) return new RunStoreUnavailableError(message, error);
  return new RunStoreError(message, { retryable: false, cause: error });
}
