/** Error names the AWS SDK uses for transient, service-side or network failures. */
const TRANSIENT: ReadonlySet<string> = new Set([
  'ThrottlingException', 'Throttling', 'RequestThrottled', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown', 'ProvisionedThroughputExceededException',
  'InternalError', 'InternalFailure', 'InternalServerException', 'InternalServiceException', 'InternalServiceError', 'InternalErrorException',
  'ServiceUnavailable', 'ServiceUnavailableException', 'OperationTimeoutException', 'RequestTimeout', 'RequestTimeoutException', 'TimeoutError',
  'KMSThrottlingException', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT',
]);

/** The SDK's name for an error (`ThrottlingException`, `NoSuchKey` …), or `UnknownError`. */
export function awsErrorCode(error: unknown): string {
  if (!(error instanceof Error)) return 'UnknownError';
  const code = Reflect.get(error, 'code');
  return typeof code === 'string' && code !== '' ? code : error.name;
}

/**
 * Whether retrying the same call may succeed: throttling, server faults (`$fault: server`), SDK-marked
 * retryable errors and network failures. Adapters use this at the edge so stages only read `retryable`.
 */
export function isTransientAwsError(error: unknown): boolean {
  if (!(error instanceof Error)) return true;
  if (TRANSIENT.has(awsErrorCode(error))) return true;
  if (Reflect.get(error, '$fault') === 'server') return true;
  const marked = Reflect.get(error, '$retryable');
  return typeof marked === 'object' && marked !== null;
}

/** The error's message, for wrapping. */
export function awsErrorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
