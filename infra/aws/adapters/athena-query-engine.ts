import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type AthenaClient,
  type QueryExecution as SdkQueryExecution,
} from '@aws-sdk/client-athena';
import {
  QueryState,
  StatementType,
  type GetQueryResultsOptions,
  type QueryEnginePort,
  type QueryExecution,
  type QueryResults,
  type StartQueryExecutionInput,
} from '../../../handlers/ports/query-engine';
import { AthenaRequestError, translateAthenaError } from './athena-errors';

const queryStates: ReadonlySet<string> = new Set(Object.values(QueryState));
const statementTypes: ReadonlySet<string> = new Set(Object.values(StatementType));
const isQueryState = (v: string | undefined): v is QueryState => v !== undefined && queryStates.has(v);
const isStatementType = (v: string | undefined): v is StatementType => v !== undefined && statementTypes.has(v);

/**
 * The query-engine port on Amazon Athena. Queries run only in our workgroups: the one the caller
 * names when it is ours, otherwise the first (default) one — our workgroups enforce the result
 * location, encryption and the bytes-scanned cutoff, and the stage roles may use no other. Results are
 * read back with GetQueryResults, page by page.
 */
export class AthenaQueryEngine implements QueryEnginePort {
  constructor(
    private readonly client: AthenaClient,
    private readonly options: { readonly workGroups: readonly [string, ...string[]]; readonly database?: string },
  ) {}

  /** The workgroup a query runs in. */
  workGroupFor(requested: string | undefined): string {
    return requested !== undefined && this.options.workGroups.includes(requested) ? requested : this.options.workGroups[0];
  }

  async startQueryExecution(input: StartQueryExecutionInput): Promise<{ QueryExecutionId: string }> {
    const database = input.QueryExecutionContext?.Database ?? this.options.database;
    const out = await this.call('StartQueryExecution', () =>
      this.client.send(
        new StartQueryExecutionCommand({
          QueryString: input.QueryString,
          WorkGroup: this.workGroupFor(input.WorkGroup),
          ...(database === undefined ? {} : { QueryExecutionContext: { Database: database, Catalog: input.QueryExecutionContext?.Catalog } }),
          ...(input.ExecutionParameters === undefined ? {} : { ExecutionParameters: [...input.ExecutionParameters] }),
          ...(input.ClientRequestToken === undefined ? {} : { ClientRequestToken: input.ClientRequestToken }),
        }),
      ),
    );
    if (out.QueryExecutionId === undefined) throw new AthenaRequestError('StartQueryExecution returned no QueryExecutionId', { code: 'InternalServerException', retryable: true });
    return { QueryExecutionId: out.QueryExecutionId };
  }

  async getQueryExecution(queryExecutionId: string): Promise<QueryExecution> {
    const out = await this.call(`GetQueryExecution ${queryExecutionId}`, () => this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryExecutionId })));
    if (!out.QueryExecution) throw new AthenaRequestError(`QueryExecution ${queryExecutionId} was not found`, { code: 'InvalidRequestException', retryable: false });
    return executionOf(out.QueryExecution);
  }

  async getQueryResults(queryExecutionId: string, options: GetQueryResultsOptions = {}): Promise<QueryResults> {
    const out = await this.call(`GetQueryResults ${queryExecutionId}`, () =>
      this.client.send(new GetQueryResultsCommand({ QueryExecutionId: queryExecutionId, MaxResults: options.MaxResults, NextToken: options.NextToken })),
    );
    return {
      ResultSet: {
        Rows: (out.ResultSet?.Rows ?? []).map((r) => ({ Data: (r.Data ?? []).map((d) => (d.VarCharValue === undefined ? {} : { VarCharValue: d.VarCharValue })) })),
        ResultSetMetadata: { ColumnInfo: (out.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({ Name: c.Name ?? '', Type: c.Type ?? '' })) },
      },
      ...(out.NextToken === undefined ? {} : { NextToken: out.NextToken }),
      ...(out.UpdateCount === undefined ? {} : { UpdateCount: out.UpdateCount }),
    };
  }

  private async call<T>(what: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw translateAthenaError(error, what);
    }
  }
}

function executionOf(q: SdkQueryExecution): QueryExecution {
  const state = q.Status?.State;
  if (!isQueryState(state)) throw new AthenaRequestError(`query ${q.QueryExecutionId} reports an unknown state ${String(state)}`, { code: 'InternalServerException', retryable: true });
  const statementType = q.StatementType;
  const error = q.Status?.AthenaError;
  const stats = q.Statistics;
  return {
    QueryExecutionId: q.QueryExecutionId ?? '',
    Query: q.Query ?? '',
    // Readers skip a header row by this type (resultsHaveHeaderRow), as the local engine writes its pages:
    // Athena sends one for DML SELECTs only, none for SHOW/DESCRIBE (UTILITY) or DDL.
    StatementType: isStatementType(statementType) ? statementType : StatementType.Dml,
    WorkGroup: q.WorkGroup ?? '',
    QueryExecutionContext: { ...(q.QueryExecutionContext?.Database === undefined ? {} : { Database: q.QueryExecutionContext.Database }), ...(q.QueryExecutionContext?.Catalog === undefined ? {} : { Catalog: q.QueryExecutionContext.Catalog }) },
    Status: {
      State: state,
      SubmissionDateTime: q.Status?.SubmissionDateTime ?? new Date(0),
      ...(q.Status?.StateChangeReason === undefined ? {} : { StateChangeReason: q.Status.StateChangeReason }),
      ...(q.Status?.CompletionDateTime === undefined ? {} : { CompletionDateTime: q.Status.CompletionDateTime }),
      ...(error === undefined ? {} : { AthenaError: { ErrorCategory: error.ErrorCategory ?? 3, ErrorType: error.ErrorType ?? 0, Retryable: error.Retryable ?? false, ErrorMessage: error.ErrorMessage ?? '' } }),
    },
    Statistics: {
      ...(stats?.EngineExecutionTimeInMillis === undefined ? {} : { EngineExecutionTimeInMillis: stats.EngineExecutionTimeInMillis }),
      ...(stats?.TotalExecutionTimeInMillis === undefined ? {} : { TotalExecutionTimeInMillis: stats.TotalExecutionTimeInMillis }),
      ...(stats?.QueryQueueTimeInMillis === undefined ? {} : { QueryQueueTimeInMillis: stats.QueryQueueTimeInMillis }),
      ...(stats?.DataScannedInBytes === undefined ? {} : { DataScannedInBytes: stats.DataScannedInBytes }),
    },
  };
}
