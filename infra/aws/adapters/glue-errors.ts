import { awsErrorCode, awsErrorMessage, isTransientAwsError } from './aws-error-code';
import { PipelineError } from '../../../contracts/pipeline-error';

/**
 * A Glue Data Catalog call failed. `code` is Glue's exception name and `retryable` says whether the
 * same call may succeed later (throttling, service faults) or never will (poison).
 */
export class GlueCatalogError extends PipelineError {
  readonly code: string;

  constructor(message: string, options: { code: string; retryable: boolean; cause?: unknown }) {
    super(message, { retryable: options.retryable, cause: options.cause });
    this.name = 'GlueCatalogError';
    this.code = options.code;
  }
}

/** Creating a database or table that exists (Glue `AlreadyExistsException`). Poison. */
export class GlueAlreadyExistsError extends GlueCatalogError {
  override readonly name = 'AlreadyExistsException';
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'AlreadyExistsException', retryable: false, cause });
  }
}

/** Writing to a database or table that does not exist (Glue `EntityNotFoundException`). Poison. */
export class GlueEntityNotFoundError extends GlueCatalogError {
  override readonly name = 'EntityNotFoundException';
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'EntityNotFoundException', retryable: false, cause });
  }
}

/** Translates a Glue SDK error into the catalog's own, at the edge. */
export function translateGlueCatalogError(error: unknown, what: string): GlueCatalogError {
  const code = awsErrorCode(error);
  const message = `${what}: ${awsErrorMessage(error)}`;
  if (code === 'AlreadyExistsException') return new GlueAlreadyExistsError(message, error);
  if (code === 'EntityNotFoundException') return new GlueEntityNotFoundError(message, error);
  return new GlueCatalogError(message, { code, retryable: isTransientAwsError(error), cause: error });
}
