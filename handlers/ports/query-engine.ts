/**
 * The query engine port, shaped after the Athena API (StartQueryExecution, GetQueryExecution,
 * GetQueryResults) and listing only what stages call.
 *
 * Queries are asynchronous on both realisations: starting one returns an id, and success of the start
 * says nothing about success of the query. Stages either poll `getQueryExecution` or react to the
 * `Athena Query State Change` event; `runQuery` is the convenience that starts and awaits.
 */

import { AthenaQueryState } from '../../contracts/aws/athena-query-state-change';
import { PipelineError } from '../../contracts/pipeline-error';

/** Athena's query states (`QueryExecutionState`): the ones its state-change events carry. */
export const QueryState = AthenaQueryState;
/** One query state. */
export type QueryState = AthenaQueryState;

/** Athena's statement types: DDL (create/drop/alter), DML (select, insert, CTAS, unload), UTILITY (show, describe, explain). */
export const StatementType = { Ddl: 'DDL', Dml: 'DML', Utility: 'UTILITY' } as const;
/** One statement type. */
export type StatementType = (typeof StatementType)[keyof typeof StatementType];

/** Input of StartQueryExecution. `ExecutionParameters` are SQL literal texts bound to `?` in order. */
export interface StartQueryExecutionInput {
  readonly QueryString: string;
  readonly QueryExecutionContext?: { readonly Database?: string; readonly Catalog?: string };
  readonly WorkGroup?: string;
  readonly ExecutionParameters?: readonly string[];
  /** Idempotency token: a repeated start with the same token returns the first query's id. */
  readonly ClientRequestToken?: string;
}

/** Athena's `AthenaError`: category 1 system, 2 user, 3 other; `Retryable` says whether a rerun may succeed. */
export interface AthenaError {
  readonly ErrorCategory: number;
  readonly ErrorType: number;
  readonly Retryable: boolean;
  readonly ErrorMessage: string;
}

/** Output of GetQueryExecution (the `QueryExecution` object). */
export interface QueryExecution {
  readonly QueryExecutionId: string;
  readonly Query: string;
  readonly StatementType: StatementType;
  readonly WorkGroup: string;
  readonly QueryExecutionContext: { readonly Database?: string; readonly Catalog?: string };
  readonly Status: {
    readonly State: QueryState;
    readonly StateChangeReason?: string;
    readonly SubmissionDateTime: Date;
    readonly CompletionDateTime?: Date;
    readonly AthenaError?: AthenaError;
  };
  readonly Statistics: {
    readonly EngineExecutionTimeInMillis?: number;
    readonly TotalExecutionTimeInMillis?: number;
    readonly QueryQueueTimeInMillis?: number;
    readonly DataScannedInBytes?: number;
  };
}

/** One result cell: `VarCharValue` is absent for NULL, as in Athena. */
export interface Datum {
  readonly VarCharValue?: string;
}

/**
 * Whether GetQueryResults' first page starts with a header row (the column names), as Athena sends it:
 * only for a DML statement that returns rows (SELECT, WITH, VALUES); never for DDL, nor for UTILITY
 * statements (SHOW, DESCRIBE, EXPLAIN), nor for DML that reports an `UpdateCount` (INSERT, CTAS,
 * UNLOAD). The local engine writes its pages by this rule and readers skip the header by it.
 */
export function resultsHaveHeaderRow(statementType: StatementType, updateCount: number | undefined): boolean {
  return statementType === StatementType.Dml && updateCount === undefined;
}

/** Output of GetQueryResults. The first row of the first page is the header when `resultsHaveHeaderRow` says so. */
export interface QueryResults {
  readonly ResultSet: {
    readonly Rows: readonly { readonly Data: readonly Datum[] }[];
    readonly ResultSetMetadata: { readonly ColumnInfo: readonly { readonly Name: string; readonly Type: string }[] };
  };
  /** Present when more rows remain; pass it back to read the next page. */
  readonly NextToken?: string;
  /** Rows changed by INSERT/CTAS/UNLOAD (Athena's `UpdateCount`). */
  readonly UpdateCount?: number;
}

/** Options of GetQueryResults: pages of at most 1000 rows (Athena's maximum). */
export interface GetQueryResultsOptions {
  readonly MaxResults?: number;
  readonly NextToken?: string;
}

/**
 * Run Athena SQL. `getQueryExecution` and `getQueryResults` reject for an unknown id (Athena's
 * InvalidRequestException); `getQueryResults` rejects while the query is not SUCCEEDED.
 */
export interface QueryEnginePort {
  startQueryExecution(input: StartQueryExecutionInput): Promise<{ QueryExecutionId: string }>;
  getQueryExecution(queryExecutionId: string): Promise<QueryExecution>;
  getQueryResults(queryExecutionId: string, options?: GetQueryResultsOptions): Promise<QueryResults>;
  /**
   * Optional, for engines that know when a query ends (the local one): resolves once the query is
   * terminal, so `runQuery` wakes then instead of at its next poll. Athena has no such call.
   */
  whenQueryFinished?(queryExecutionId: string): Promise<void>;
}

/** Thrown by `runQuery` when a query is still QUEUED or RUNNING at its deadline; retryable (the query may finish). */
export class QueryTimeoutError extends PipelineError {
  constructor(readonly queryExecutionId: string, state: QueryState, timeoutMs: number) {
    super(`query ${queryExecutionId} still ${state} after ${timeoutMs} ms`, { retryable: true });
  }
}

/**
 * Starts a query and polls until it reaches a terminal state; resolves with the final execution
 * (SUCCEEDED, FAILED or CANCELLED — callers check `Status.State`). An engine with `whenQueryFinished`
 * wakes the wait as soon as the query ends. Polls back off from `pollMs`
 * (default 1 ms, so local queries return promptly) growing by half each time to `maxPollMs` (default 1 s, so Athena's
 * GetQueryExecution rate limit is respected). Rejects with QueryTimeoutError only when `timeoutMs`
 * (default 30 min, Athena's DML timeout) passes.
 */
export async function runQuery(
  engine: QueryEnginePort,
  input: StartQueryExecutionInput,
  options: { readonly pollMs?: number; readonly maxPollMs?: number; readonly timeoutMs?: number } = {},
): Promise<QueryExecution> {
  const { QueryExecutionId } = await engine.startQueryExecution(input);
  const timeoutMs = options.timeoutMs ?? 30 * 60 * 1000;
  const deadline = Date.now() + timeoutMs;
  let wait = options.pollMs ?? 1;
  const finished = engine.whenQueryFinished?.(QueryExecutionId).catch(() => undefined);
  for (;;) {
    const execution = await engine.getQueryExecution(QueryExecutionId);
    const state = execution.Status.State;
    if (state === QueryState.Succeeded || state === QueryState.Failed || state === QueryState.Cancelled) return execution;
    if (Date.now() > deadline) throw new QueryTimeoutError(QueryExecutionId, state, timeoutMs);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, wait))), ...(finished ? [finished] : [])]);
    clearTimeout(timer);
    wait = Math.min(wait * 1.5, options.maxPollMs ?? 1000);
  }
}
