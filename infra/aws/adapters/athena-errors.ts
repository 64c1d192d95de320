import { awsErrorCode, awsErrorMessage, isTransientAwsError } from './aws-error-code';
import { CodedError } from '../../../handlers/ports/coded-error';

/**
 * An Athena API call was refused (unknown query id, results of an unfinished query, a bad request,
 * throttling). `code` is Athena's exception name; `retryable` says whether the call may succeed later.
 * A query that *runs* and fails is not this error: it is a FAILED execution with its AthenaError.
 */
export class AthenaRequestError extends CodedError {}

/** Translates an Athena SDK error at the edge; Athena's message (e.g. "… was not found") is kept. */
export function translateAthenaError(error: unknown, what: string): AthenaRequestError {
  const code = awsErrorCode(error);
  return new AthenaRequestError(`${what}: ${awsErrorMessage(error)}`, { code, retryable: code === 'TooManyRequestsException' || isTransientAwsError(error), cause: error });
}
