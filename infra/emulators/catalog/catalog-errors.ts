import { PipelineError } from '../../../contracts/pipeline-error';

/**
 * Errors of the local catalog, named after the Glue exceptions they stand for (`name` is Glue's code)
 * so callers handle both realisations alike. None is retryable: the same call fails the same way.
 */
export class CatalogError extends PipelineError {
  /** Always poison (`retryable` false): a retry of the same call cannot succeed. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { retryable: false, cause: options?.cause });
  }
}

/** Creating a database, table or crawler that exists (Glue `AlreadyExistsException`). */
export class AlreadyExistsError extends CatalogError {
  override readonly name = 'AlreadyExistsException';
}

/** Updating or deleting something that does not exist (Glue `EntityNotFoundException`). */
export class EntityNotFoundError extends CatalogError {
  override readonly name = 'EntityNotFoundException';
}

/** A name or argument Glue would reject (Glue `InvalidInputException`). */
export class InvalidCatalogInputError extends CatalogError {
  override readonly name = 'InvalidInputException';
}
