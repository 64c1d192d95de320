import { PipelineError } from '../../../contracts/pipeline-error';
import type { AthenaError } from '../../../handlers/ports/query-engine';

/**
 * Athena error names the local engine reports, with Athena's error category (1 system, 2 user) and
 * whether a rerun may succeed. The numeric `ErrorType` values are local placeholders: Athena
 * documents the names but the numbers in its error catalog were not verified here.
 */
export const AthenaErrorName = {
  SyntaxError: { name: 'SYNTAX_ERROR', category: 2, type: 1100, retryable: false },
  TableNotFound: { name: 'TABLE_NOT_FOUND', category: 2, type: 1101, retryable: false },
  SchemaNotFound: { name: 'SCHEMA_NOT_FOUND', category: 2, type: 1102, retryable: false },
  ColumnNotFound: { name: 'COLUMN_NOT_FOUND', category: 2, type: 1103, retryable: false },
  FunctionNotFound: { name: 'FUNCTION_NOT_FOUND', category: 2, type: 1104, retryable: false },
  TypeMismatch: { name: 'TYPE_MISMATCH', category: 2, type: 1105, retryable: false },
  InvalidCastArgument: { name: 'INVALID_CAST_ARGUMENT', category: 2, type: 1106, retryable: false },
  AlreadyExists: { name: 'ALREADY_EXISTS', category: 2, type: 1107, retryable: false },
  NotSupported: { name: 'NOT_SUPPORTED', category: 2, type: 1108, retryable: false },
  PermissionDenied: { name: 'PERMISSION_DENIED', category: 2, type: 1109, retryable: false },
  GenericUserError: { name: 'GENERIC_USER_ERROR', category: 2, type: 1000, retryable: false },
  TooManyOpenPartitions: { name: 'HIVE_TOO_MANY_OPEN_PARTITIONS', category: 2, type: 1306, retryable: false },
  PathAlreadyExists: { name: 'HIVE_PATH_ALREADY_EXISTS', category: 2, type: 1307, retryable: false },
  InternalError: { name: 'GENERIC_INTERNAL_ERROR', category: 1, type: 401, retryable: true },
} as const;
/** One Athena error kind. */
export type AthenaErrorKind = (typeof AthenaErrorName)[keyof typeof AthenaErrorName];

/** Base of the engine's query errors; `retryable` (the error root's) says whether the bus should retry the stage (else poison). */
export class QueryEngineError extends PipelineError {
  constructor(message: string, retryable: boolean, options?: { cause?: unknown }) {
    super(message, { retryable, cause: options?.cause });
  }
}

/**
 * A query failure, worded as Athena words it (`TABLE_NOT_FOUND: line 1:15: Table '…' does not
 * exist`). The message is the StateChangeReason; `toAthenaError` is the AthenaError of the execution.
 */
export class AthenaQueryError extends QueryEngineError {
  constructor(readonly kind: AthenaErrorKind, detail: string, options?: { cause?: unknown }) {
    super(`${kind.name}: ${detail}`, kind.retryable, options);
  }

  /** The `AthenaError` object of GetQueryExecution. */
  toAthenaError(): AthenaError {
    return { ErrorCategory: this.kind.category, ErrorType: this.kind.type, Retryable: this.kind.retryable, ErrorMessage: this.message };
  }
}

/** Thrown for an unknown query id (Athena's InvalidRequestException); poison. */
export class QueryNotFoundError extends QueryEngineError {
  constructor(id: string) {
    super(`QueryExecution ${id} was not found`, false);
  }
}

/** Thrown when results are asked of a query that has not SUCCEEDED (Athena's InvalidRequestException). */
export class QueryNotFinishedError extends QueryEngineError {
  constructor(id: string, state: string) {
    super(`Query has not yet finished. Current state: ${state} (query ${id})`, state === 'QUEUED' || state === 'RUNNING');
  }
}

/** Athena's limit on the query text: 262 144 bytes of UTF-8. */
export const MAX_QUERY_BYTES = 262_144;

/** Thrown by StartQueryExecution for a request Athena would refuse (InvalidRequestException); poison. */
export class InvalidQueryRequestError extends QueryEngineError {
  constructor(message: string) {
    super(message, false);
  }
}
