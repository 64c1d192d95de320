import type { GetQueryResultsOptions, QueryExecution, QueryResults, StartQueryExecutionInput } from '../../../../handlers/ports/query-engine';
import { QueryState } from '../../../../handlers/ports/query-engine';
import type { DuckDbQueryEngine } from '../../../../infra/emulators/query/duckdb-query-engine';
import type { StoppableQueryEngine } from '../../../../infra/emulators/query/athena-json-service';
import type { LakeMirror } from './lake-mirror';

const TERMINAL: ReadonlySet<string> = new Set([QueryState.Succeeded, QueryState.Failed, QueryState.Cancelled]);

/**
 * The local DuckDB engine as the Athena endpoint serves it in the chain test, reading and writing the
 * same objects the stages see in moto's S3: a query starts on a folder that shows what S3 holds, and
 * its end is reported (GetQueryExecution, and before its state-change event is delivered) only once
 * what it wrote is in S3 — as Athena's own UNLOAD output is there when the query reads SUCCEEDED.
 */
export class MirroredQueryEngine implements StoppableQueryEngine {
  private readonly outputs = new Map<string, Promise<void>>();

  constructor(
    readonly engine: DuckDbQueryEngine,
    private readonly mirror: LakeMirror,
  ) {}

  async startQueryExecution(input: StartQueryExecutionInput): Promise<{ QueryExecutionId: string }> {
    await this.mirror.down();
    return this.engine.startQueryExecution(input);
  }

  async getQueryExecution(queryExecutionId: string): Promise<QueryExecution> {
    const execution = await this.engine.getQueryExecution(queryExecutionId);
    if (TERMINAL.has(execution.Status.State)) await this.outputOf(queryExecutionId);
    return execution;
  }

  getQueryResults(queryExecutionId: string, options?: GetQueryResultsOptions): Promise<QueryResults> {
    return this.engine.getQueryResults(queryExecutionId, options);
  }

  stopQueryExecution(queryExecutionId: string): Promise<void> {
    return this.engine.stopQueryExecution(queryExecutionId);
  }

  /** Resolves once every query started so far has ended and what it wrote is in S3. */
  async settle(): Promise<void> {
    for (const id of this.engine.unfinishedQueryIds()) await this.engine.whenQueryFinished(id);
    for (const id of [...this.outputs.keys()]) await this.outputOf(id);
    await this.mirror.up();
  }

  /** Puts the query's output in S3, once per query. */
  private outputOf(queryExecutionId: string): Promise<void> {
    let done = this.outputs.get(queryExecutionId);
    if (done === undefined) {
      done = this.mirror.up();
      this.outputs.set(queryExecutionId, done);
    }
    return done;
  }
}
