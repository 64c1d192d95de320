import type { z } from 'zod';
import { CodedError } from '../../../handlers/ports/coded-error';
import type { QueryEnginePort, QueryResults } from '../../../handlers/ports/query-engine';
import { PipelineError } from '../../../contracts/pipeline-error';
import { toWire } from '../bus/json-wire';
import { QueryNotFinishedError } from './athena-query-error';
import { GetQueryResultsRequestSchema, QueryExecutionRefSchema, StartQueryExecutionRequestSchema, validationMessage } from './athena-api-schemas';

/** How many ClientRequestTokens the service remembers to refuse a token reused for another request. */
const MAX_TOKENS = 1000;

/** The `X-Amz-Target` namespace of Athena's JSON 1.1 protocol. */
export const ATHENA_TARGET_PREFIX = 'AmazonAthena.';

/** What the service needs of an engine: the port, and Athena's StopQueryExecution (the local engine has both). */
export interface StoppableQueryEngine extends QueryEnginePort {
  stopQueryExecution(queryExecutionId: string): Promise<void>;
}

/**
 * An Athena API refusal as the service sends it: `InvalidRequestException` (HTTP 400) with Athena's
 * `AthenaErrorCode`, or `InternalServerException` (HTTP 500, retryable).
 */
export class AthenaApiError extends CodedError {
  readonly status: number;
  readonly athenaErrorCode: string | undefined;

  constructor(code: 'InvalidRequestException' | 'InternalServerException', message: string, options: { athenaErrorCode?: string; cause?: unknown } = {}) {
    super(message, { code, retryable: code === 'InternalServerException', cause: options.cause });
    this.status = code === 'InternalServerException' ? 500 : 400;
    this.athenaErrorCode = options.athenaErrorCode;
  }

  /** The error body: `{"__type", "Message", "AthenaErrorCode"}`. */
  toBody(): Record<string, string> {
    return { __type: this.code, Message: this.message, ...(this.athenaErrorCode === undefined ? {} : { AthenaErrorCode: this.athenaErrorCode }) };
  }
}

const invalid = (message: string, cause?: unknown): AthenaApiError => new AthenaApiError('InvalidRequestException', message, { athenaErrorCode: 'INVALID_INPUT', cause });

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalid(validationMessage(result.error.issues));
  return result.data;
}

/**
 * A query engine behind Athena's JSON 1.1 API: StartQueryExecution, GetQueryExecution,
 * GetQueryResults (pages of at most 1 000 rows, NextToken) and StopQueryExecution, so the unmodified
 * `@aws-sdk/client-athena` runs against the local DuckDB engine. Requests are checked against Athena's
 * published model first (see athena-api-schemas.ts); a workgroup the service does not serve is "not
 * found"; a ClientRequestToken repeated with another query is refused, as Athena documents ("if a
 * parameter has changed … an error is returned"). The engine's refusals (unknown id, unfinished query)
 * are InvalidRequestException, its transient failures InternalServerException.
 */
export class AthenaJsonService {
  private readonly requests = new Map<string, string>();

  constructor(
    private readonly engine: StoppableQueryEngine,
    private readonly options: { readonly workGroups: readonly string[] },
  ) {}

  /** Answers one operation (the `X-Amz-Target` suffix) with its JSON 1.1 response value; throws AthenaApiError. */
  async call(operation: string, input: unknown): Promise<unknown> {
    try {
      return toWire(await this.dispatch(operation, input));
    } catch (error) {
      if (error instanceof AthenaApiError) throw error;
      if (error instanceof PipelineError && error.retryable && !(error instanceof QueryNotFinishedError)) throw new AthenaApiError('InternalServerException', error.message, { cause: error });
      throw invalid(error instanceof Error ? error.message : String(error), error);
    }
  }

  private async dispatch(operation: string, input: unknown): Promise<unknown> {
    switch (operation) {
      case 'StartQueryExecution':
        return this.start(parse(StartQueryExecutionRequestSchema, input));
      case 'GetQueryExecution': {
        const { QueryExecutionId } = parse(QueryExecutionRefSchema, input);
        return { QueryExecution: await this.engine.getQueryExecution(QueryExecutionId) };
      }
      case 'GetQueryResults': {
        const request = parse(GetQueryResultsRequestSchema, input);
        if (request.NextToken !== undefined && !/^\d+$/.test(request.NextToken)) throw invalid(`NextToken ${JSON.stringify(request.NextToken)} is not a token this service issued`);
        return resultsOnWire(await this.engine.getQueryResults(request.QueryExecutionId, { MaxResults: request.MaxResults, NextToken: request.NextToken }));
      }
      case 'StopQueryExecution': {
        const { QueryExecutionId } = parse(QueryExecutionRefSchema, input);
        await this.engine.getQueryExecution(QueryExecutionId);
        // Athena answers at once and cancels asynchronously: the state reaches CANCELLED later.
        this.engine.stopQueryExecution(QueryExecutionId).catch(() => undefined);
        return {};
      }
      default:
        throw new AthenaApiError('InvalidRequestException', `Unsupported operation ${ATHENA_TARGET_PREFIX}${operation}`);
    }
  }

  private async start(request: z.output<typeof StartQueryExecutionRequestSchema>): Promise<{ QueryExecutionId: string }> {
    const workGroup = request.WorkGroup ?? 'primary';
    if (!this.options.workGroups.includes(workGroup)) throw invalid(`WorkGroup ${workGroup} is not found.`);
    if (request.ClientRequestToken !== undefined) {
      const fingerprint = JSON.stringify([request.QueryString, request.QueryExecutionContext ?? {}, workGroup, request.ExecutionParameters ?? []]);
      const earlier = this.requests.get(request.ClientRequestToken);
      if (earlier !== undefined && earlier !== fingerprint) throw invalid(`ClientRequestToken ${request.ClientRequestToken} was used for a different request; a retried request must repeat its parameters`);
      this.requests.set(request.ClientRequestToken, fingerprint);
      // Tokens are remembered as long as the engine keeps queries (its default, 1 000), oldest forgotten first.
      for (const oldest of this.requests.keys()) {
        if (this.requests.size <= MAX_TOKENS) break;
        this.requests.delete(oldest);
      }
    }
    return this.engine.startQueryExecution({ ...request, WorkGroup: workGroup });
  }
}

/** GetQueryResults on the wire: each column also carries Athena's Label and nullability. */
function resultsOnWire(results: QueryResults): unknown {
  return {
    ...results,
    ResultSet: {
      ...results.ResultSet,
      ResultSetMetadata: { ColumnInfo: results.ResultSet.ResultSetMetadata.ColumnInfo.map((c) => ({ CatalogName: 'hive', SchemaName: '', TableName: '', Name: c.Name, Label: c.Name, Type: c.Type, Nullable: 'UNKNOWN', CaseSensitive: c.Type === 'varchar' })) },
    },
  };
}
