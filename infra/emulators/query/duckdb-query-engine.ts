import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { isDuckDbSize, openBoundedDuckDb } from '../duckdb/bounded-duckdb';
import type { EventBusTransport } from '../../../events/put-events';
import type { CatalogPort } from '../../../handlers/ports/catalog';
import {
  QueryState,
  resultsHaveHeaderRow,
  type GetQueryResultsOptions,
  type QueryEnginePort,
  type QueryExecution,
  type QueryResults,
  type StartQueryExecutionInput,
  type StatementType,
} from '../../../handlers/ports/query-engine';
import { AthenaQueryError, InvalidQueryRequestError, MAX_QUERY_BYTES, QueryEngineError, QueryNotFinishedError, QueryNotFoundError } from './athena-query-error';
import { leadingStatementType, parseStatement, statementTypeOf } from './athena-statement';
import { ATHENA_CATALOG, CatalogViews } from './catalog-views';
import { ConnectionPool } from './connection-pool';
import { KeyLock } from '../catalog/key-lock';
import { ResultCache, sweepResults } from './result-cache';
import { athenaErrorFromDuckDb } from './duckdb-error';
import { executeStatement } from './execute-statement';
import { exposePath } from './expose-path';
import { discardPartialOutput } from './interrupted-query';
import { QueryJournal } from './query-journal';
import type { StatementResult } from './statement-context';
import { trinoTypeName } from './glue-types';
import { queryStateEntry } from './query-state-event';
import { assertReadOnly } from './read-only-guard';
import { sqlIdentifier, sqlLiteral } from './sql-quote';
import { translateSql, type TranslatedSql } from './translate-sql';
import { trinoMacroStatements } from './trino-functions';
import { crashPoint } from '../../local/runtime/crash-point';

/** How to build the engine. */
export interface DuckDbQueryEngineOptions {
  /** Tributary home; the lake is `<home>/lake`, the only folder DuckDB may touch. */
  readonly home: string;
  readonly catalog: CatalogPort;
  /** Where `Athena Query State Change` events go (bus `default`). */
  readonly bus: EventBusTransport;
  /** Only SELECT/WITH/SHOW/DESCRIBE/EXPLAIN over catalog tables (for queries users type). */
  readonly readOnly?: boolean;
  /** Finished queries remembered (ids, tokens, states; oldest forgotten first). Default 1,000. */
  readonly keepResults?: number;
  /** Estimated bytes of finished results held in memory; older ones spill to disk (default 64 MiB). */
  readonly resultBytes?: number;
  /** Queries run at once, each on its own DuckDB connection (default: the machine's cores, at most 4). */
  readonly connections?: number;
  /** DuckDB's `memory_limit` (e.g. `1GB`); past it DuckDB spills to `<home>/query-engine/tmp`. Default 1GB. */
  readonly memoryLimit?: string;
  /**
   * Journal queries under `<home>/query-engine/queries` (see QueryJournal). On create, ended queries
   * are known again (ids, tokens, states, update counts); `resumeInterrupted` then finishes what a
   * crash cut off. Only for the process that owns the home (the embedded runtime); off by default.
   */
  readonly journal?: boolean;
}

interface QueryRecord {
  readonly input: StartQueryExecutionInput;
  execution: QueryExecution;
  readonly token?: string;
  result?: StatementResult;
  sequence: number;
  /** Set by stopQueryExecution: the query ends CANCELLED instead of running (or finishing its run). */
  stopRequested?: boolean;
  /** The connection running the query, while it runs (StopQueryExecution interrupts it). */
  connection?: DuckDBConnection;
  /** Resolves when the query is terminal (its state change event has been emitted). */
  readonly finished: Promise<void>;
  readonly settle: () => void;
}

const MAX_PAGE = 1000;

/** DuckDB's memory limit unless configured: with the result bound, keeps `up` near 1.5 GB resident. */
export const DEFAULT_MEMORY_LIMIT = '1GB';

/**
 * The Athena stand-in: one in-memory DuckDB instance; queries start in submission order and run at
 * once on a pool of connections (one per core by default), so nothing waits behind an unrelated
 * query. A dedicated connection keeps the views, one sync at a time. The DuckDB database holds only
 * views and macros, rebuilt from the catalog before each query (the catalog and the lake files are
 * the truth), so it needs no file of its own. Memory is bounded: DuckDB's `memory_limit` (it spills
 * to a temp folder past it) and finished results by bytes (older ones spill to disk). DuckDB
 * may read and write only under the lake (`allowed_directories`, `enable_external_access=false`,
 * configuration locked). Each transition emits `Athena Query State Change`; event delivery is best
 * effort as in AWS, so a bus failure never fails a query (it is counted in `eventFailures`).
 */
export class DuckDbQueryEngine implements QueryEnginePort {
  private readonly queries = new Map<string, QueryRecord>();
  private readonly tokens = new Map<string, string>();
  /** Every query started and not yet ended: close waits for them. */
  private readonly running = new Set<Promise<void>>();
  /** One views sync (or narrowed view) at a time: they share the views connection. */
  private readonly viewsLock = new KeyLock();
  private readonly results: ResultCache;
  private readonly journal: QueryJournal | undefined;
  /** Journalled queries a crash cut off, and ends it may have left unannounced, until resumeInterrupted. */
  private interrupted: QueryRecord[] = [];
  private unannounced: QueryRecord[] = [];
  /** Events the bus rejected (best effort, never fails a query). */
  eventFailures = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly viewsConnection: DuckDBConnection,
    private readonly pool: ConnectionPool,
    private readonly views: CatalogViews,
    private readonly options: DuckDbQueryEngineOptions,
  ) {
    this.journal = options.journal === true ? new QueryJournal(options.home) : undefined;
    this.results = new ResultCache(options.home, options.resultBytes);
  }

  /** Opens DuckDB, installs the Trino shims and locks DuckDB to the lake folder. */
  static async create(options: DuckDbQueryEngineOptions): Promise<DuckDbQueryEngine> {
    const home = path.resolve(options.home);
    const lake = path.join(home, 'lake');
    const connections = options.connections ?? Math.min(availableParallelism(), 4);
    if (!Number.isInteger(connections) || connections < 1) throw new Error(`the query engine needs a whole number of connections of at least 1, got ${connections}`);
    const memoryLimit = options.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
    if (!isDuckDbSize(memoryLimit)) throw new Error(`the query engine's memory limit must be a size such as 1GB or 512MB, got ${JSON.stringify(memoryLimit)}`);
    const temp = path.join(home, 'query-engine', 'tmp');
    await fs.mkdir(path.join(lake, '.staging'), { recursive: true });
    await fs.mkdir(temp, { recursive: true });
    if (options.journal === true) await sweepResults(home);
    const instance = await openBoundedDuckDb({ memoryLimit, tempDirectory: temp });
    const views = await instance.connect();
    await views.run(`ATTACH ':memory:' AS ${ATHENA_CATALOG}`);
    await views.run(`USE ${ATHENA_CATALOG}`);
    for (const statement of trinoMacroStatements()) await views.run(statement);
    const all = [views, ...(await Promise.all(Array.from({ length: connections }, () => instance.connect())))];
    // Session settings go on each connection before the configuration is locked (memory and spill folder are the instance's).
    for (const connection of all) {
      await connection.run(`USE ${ATHENA_CATALOG}`);
      await connection.run(`SET TimeZone = 'UTC'`);
      await connection.run(`SET integer_division = true`);
    }
    await views.run(`SET allowed_directories = [${sqlLiteral(`${lake}${path.sep}`)}]`);
    await views.run(`SET enable_external_access = false`);
    await views.run(`SET lock_configuration = true`);
    const engine = new DuckDbQueryEngine(instance, views, new ConnectionPool(all.slice(1)), new CatalogViews(views, options.catalog, home), { ...options, home });
    await engine.recover();
    return engine;
  }

  /** Ids of the queries not yet ended (QUEUED or RUNNING), including those resumed after a crash. */
  unfinishedQueryIds(): string[] {
    return [...this.queries.values()].filter((r) => !isTerminal(r.execution.Status.State)).map((r) => r.execution.QueryExecutionId);
  }

  /** Queues a query; resolves with its id at once (QUEUED), like Athena. */
  async startQueryExecution(input: StartQueryExecutionInput): Promise<{ QueryExecutionId: string }> {
    const bytes = Buffer.byteLength(input.QueryString, 'utf8');
    if (bytes > MAX_QUERY_BYTES) throw new InvalidQueryRequestError(`QueryString is ${bytes} bytes; Athena accepts at most ${MAX_QUERY_BYTES}`);
    if (input.ClientRequestToken !== undefined) {
      const known = this.tokens.get(input.ClientRequestToken);
      if (known !== undefined) return { QueryExecutionId: known };
    }
    const id = randomUUID();
    if (input.ClientRequestToken !== undefined) this.tokens.set(input.ClientRequestToken, id);
    const record = newRecord(input, {
      QueryExecutionId: id,
      Query: input.QueryString,
      StatementType: leadingStatementType(input.QueryString),
      WorkGroup: input.WorkGroup ?? 'primary',
      QueryExecutionContext: { Database: input.QueryExecutionContext?.Database ?? 'default', Catalog: ATHENA_CATALOG },
      Status: { State: QueryState.Queued, SubmissionDateTime: new Date() },
      Statistics: {},
    });
    this.queries.set(id, record);
    if (this.journal) {
      try {
        await this.journal.save({ input, execution: record.execution, sequence: 1 });
      } catch (err) {
        this.queries.delete(id);
        if (input.ClientRequestToken !== undefined) this.tokens.delete(input.ClientRequestToken);
        throw new QueryEngineError(`the query could not be recorded: ${err instanceof Error ? err.message : String(err)}`, true, { cause: err });
      }
    }
    await this.emit(record);
    this.schedule(record, input);
    this.forgetOld();
    return { QueryExecutionId: id };
  }

  /** The query's current state, statement type, timings and, when FAILED, its Athena error. */
  async getQueryExecution(queryExecutionId: string): Promise<QueryExecution> {
    return this.record(queryExecutionId).execution;
  }

  /** Resolves once the query is terminal; at once for an id the engine does not know (or forgot). */
  async whenQueryFinished(queryExecutionId: string): Promise<void> {
    await this.queries.get(queryExecutionId)?.finished;
  }

  /** A page of a SUCCEEDED query's rows (header first for a SELECT, none for SHOW/DESCRIBE: `resultsHaveHeaderRow`); `NextToken` is the next row offset. */
  async getQueryResults(queryExecutionId: string, options: GetQueryResultsOptions = {}): Promise<QueryResults> {
    const record = this.record(queryExecutionId);
    const state = record.execution.Status.State;
    const result = record.result ?? (state === QueryState.Succeeded ? await this.results.get(queryExecutionId) : undefined);
    if (state === QueryState.Succeeded && result === undefined) throw new QueryEngineError(`The rows of query ${queryExecutionId} were not kept across a restart of the local engine; run the query again.`, false);
    if (state !== QueryState.Succeeded || result === undefined) throw new QueryNotFinishedError(queryExecutionId, state);
    const header = resultsHaveHeaderRow(record.execution.StatementType, result.updateCount) ? [result.columns.map((c) => c.name)] : [];
    const total = header.length + result.rows.length;
    const start = options.NextToken === undefined ? 0 : Number(options.NextToken);
    const size = Math.min(Math.max(options.MaxResults ?? MAX_PAGE, 1), MAX_PAGE);
    // Slice the header and the rows separately: copying all rows per page made reading a big result quadratic.
    const page = [...header.slice(start, start + size), ...result.rows.slice(Math.max(start - header.length, 0), start + size - header.length)];
    const rows = page.map((r) => ({ Data: r.map((v) => (v === undefined ? {} : { VarCharValue: v })) }));
    return {
      ResultSet: { Rows: rows, ResultSetMetadata: { ColumnInfo: result.columns.map((c) => ({ Name: c.name, Type: trinoTypeName(c.type) })) } },
      ...(start + size < total ? { NextToken: String(start + size) } : {}),
      ...(result.updateCount === undefined ? {} : { UpdateCount: result.updateCount }),
    };
  }

  /**
   * Interrupts the statements DuckDB is running now (`tributary query --timeout`); their queries end
   * FAILED with DuckDB's interrupt error. Queued queries are untouched; with nothing running it does nothing.
   */
  interrupt(): void {
    this.pool.interruptAll();
  }

  /** Estimated bytes of finished results held in memory (bounded by `resultBytes`). */
  get resultBytesInMemory(): number {
    return this.results.bytesInMemory;
  }

  /**
   * Athena's StopQueryExecution: a QUEUED query ends CANCELLED without running; a RUNNING one is
   * interrupted (again every 250 ms until it ends, as an interrupt between two statements is lost) and
   * ends CANCELLED; an ended query is left as it is. Resolves once the query is terminal.
   */
  async stopQueryExecution(queryExecutionId: string): Promise<void> {
    const record = this.record(queryExecutionId);
    if (isTerminal(record.execution.Status.State)) return;
    record.stopRequested = true;
    record.connection?.interrupt();
    const repeat = setInterval(() => record.connection?.interrupt(), 250);
    try {
      await record.finished;
    } finally {
      clearInterval(repeat);
    }
  }

  /** Waits for every queued query, then closes DuckDB and drops the results it kept. */
  async close(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
    this.pool.closeSync();
    this.viewsConnection.closeSync();
    this.instance.closeSync();
    await this.results.clear();
  }

  /** Runs a query once a connection is free (queries start in the order they are scheduled). */
  private schedule(record: QueryRecord, input: StartQueryExecutionInput): void {
    const done: Promise<void> = this.pool.use((connection) => this.run(connection, record, input)).finally(() => this.running.delete(done));
    this.running.add(done);
  }

  private async run(connection: DuckDBConnection, record: QueryRecord, input: StartQueryExecutionInput): Promise<void> {
    const started = Date.now();
    const queued = started - record.execution.Status.SubmissionDateTime.getTime();
    if (record.stopRequested === true) {
      this.finish(record, started, queued);
      return this.end(record, QueryState.Cancelled);
    }
    record.connection = connection;
    try {
      await this.runOn(connection, record, input, started, queued);
    } finally {
      delete record.connection;
    }
  }

  private async runOn(connection: DuckDBConnection, record: QueryRecord, input: StartQueryExecutionInput, started: number, queued: number): Promise<void> {
    await this.transition(record, QueryState.Running);
    const database = record.execution.QueryExecutionContext.Database ?? 'default';
    let translated: TranslatedSql = { sql: input.QueryString, offsets: [] };
    let source = input.QueryString;
    const translate = async (sql: string): Promise<TranslatedSql> => {
      source = sql;
      translated = translateSql(sql, input.ExecutionParameters);
      translated = await exposePath(connection, translated, (schema, table) => this.views.hasTable(database, schema, table), (schema, table, paths) => this.viewsLock.run('views', () => this.views.narrowedPathView(database, schema, table, paths)));
      return translated;
    };
    try {
      const statement = parseStatement(input.QueryString);
      record.execution = { ...record.execution, StatementType: statementTypeOf(statement) };
      await this.viewsLock.run('views', () => this.views.sync(input.QueryString));
      await this.useDatabase(connection, database);
      if (this.options.readOnly === true) await assertReadOnly(connection, statement, (await translate(input.QueryString)).sql);
      const result = await executeStatement({ connection, catalog: this.options.catalog, home: this.options.home, database, queryId: record.execution.QueryExecutionId, translate }, statement);
      // Rowless results (DDL, writes) stay on the record (the journal keeps them); rows go to the bounded cache.
      if (result.rows.length === 0) record.result = result;
      else await this.results.put(record.execution.QueryExecutionId, result);
      crashPoint('query-written', record.execution.WorkGroup);
      this.finish(record, started, queued);
      await this.end(record, QueryState.Succeeded);
    } catch (error) {
      if (stopRequested(record)) {
        this.finish(record, started, queued);
        return this.end(record, QueryState.Cancelled);
      }
      const athena = error instanceof AthenaQueryError ? error : athenaErrorFromDuckDb(error, input.QueryString, translated, database, source);
      this.finish(record, started, queued);
      record.execution = { ...record.execution, Status: { ...record.execution.Status, StateChangeReason: athena.message, AthenaError: athena.toAthenaError() } };
      await this.end(record, QueryState.Failed);
    }
  }

  private async useDatabase(connection: DuckDBConnection, database: string): Promise<void> {
    const exists = await this.options.catalog.getDatabase(database);
    const schemas = exists ? `${ATHENA_CATALOG}.${sqlIdentifier(database)},${ATHENA_CATALOG}.main` : `${ATHENA_CATALOG}.main`;
    await connection.run(`SET search_path = ${sqlLiteral(schemas)}`);
  }

  private finish(record: QueryRecord, started: number, queued: number): void {
    const engine = Date.now() - started;
    record.execution = {
      ...record.execution,
      Status: { ...record.execution.Status, CompletionDateTime: new Date() },
      Statistics: { EngineExecutionTimeInMillis: engine, QueryQueueTimeInMillis: queued, TotalExecutionTimeInMillis: engine + queued },
    };
  }

  /**
   * Ends a query: the end is journalled as not yet announced, announced, then journalled as announced,
   * so a crash in between announces it again on restart rather than never.
   */
  private async end(record: QueryRecord, state: QueryState): Promise<void> {
    const previous = record.execution.Status.State;
    record.execution = { ...record.execution, Status: { ...record.execution.Status, State: state } };
    await this.saveEnd(record, false);
    // Journalled as announced only once the bus took the event: else the next start announces it.
    if (await this.emit(record, previous)) await this.saveEnd(record, true);
    record.settle();
  }

  private async saveEnd(record: QueryRecord, announced: boolean): Promise<void> {
    try {
      await this.journal?.save({ input: record.input, execution: record.execution, sequence: record.sequence + (announced ? 0 : 1), ...(record.result ? { result: record.result } : {}), announced });
    } catch (err) {
      process.emitWarning(`query ${record.execution.QueryExecutionId}: its end could not be journalled: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * Finishes what a crash of the previous process cut off, as Athena, which outlives its clients,
   * would have: an end whose state-change event may not have gone out is announced again, and each
   * query left QUEUED or RUNNING runs again from the start under its id (its events follow the ones
   * already sent), after what it had written is discarded. Call it once the bus delivers, so each end
   * is delivered as it happens. Returns the ids of the queries run again.
   */
  async resumeInterrupted(): Promise<string[]> {
    const unannounced = this.unannounced;
    const interrupted = this.interrupted;
    this.unannounced = [];
    this.interrupted = [];
    for (const record of unannounced) {
      record.sequence -= 1;
      if (await this.emit(record, QueryState.Running)) await this.saveEnd(record, true);
    }
    for (const record of interrupted) {
      const id = record.execution.QueryExecutionId;
      const statement = (() => {
        try {
          return parseStatement(record.input.QueryString);
        } catch {
          return undefined;
        }
      })();
      if (statement) await discardPartialOutput(this.options.home, this.options.catalog, statement, record.execution.QueryExecutionContext.Database ?? 'default', id);
      this.schedule(record, record.input);
    }
    return interrupted.map((r) => r.execution.QueryExecutionId);
  }

  /** Reloads the journal: ended queries are known again; cut-off queries and unannounced ends wait for resumeInterrupted. */
  private async recover(): Promise<void> {
    if (!this.journal) return;
    for (const entry of await this.journal.load()) {
      const id = entry.execution.QueryExecutionId;
      const record = newRecord(entry.input, entry.execution);
      record.sequence = entry.sequence;
      if (entry.result) record.result = entry.result;
      this.queries.set(id, record);
      if (entry.input.ClientRequestToken !== undefined) this.tokens.set(entry.input.ClientRequestToken, id);
      const state = entry.execution.Status.State;
      if (isTerminal(state)) {
        record.settle();
        if (entry.announced !== true) this.unannounced.push(record);
        continue;
      }
      // Its RUNNING event may have gone out: the rerun's events come after it.
      record.sequence += 1;
      record.execution = { ...record.execution, Status: { State: QueryState.Queued, SubmissionDateTime: record.execution.Status.SubmissionDateTime } };
      this.interrupted.push(record);
    }
  }

  private async transition(record: QueryRecord, state: QueryState): Promise<void> {
    const previous = record.execution.Status.State;
    record.execution = { ...record.execution, Status: { ...record.execution.Status, State: state } };
    await this.emit(record, previous);
  }

  /** Puts the query's state-change event on the bus; true when the bus accepted it. */
  private async emit(record: QueryRecord, previousState?: QueryState): Promise<boolean> {
    record.sequence += 1;
    const e = record.execution;
    const entry = queryStateEntry({
      queryExecutionId: e.QueryExecutionId,
      currentState: e.Status.State,
      previousState,
      statementType: e.StatementType satisfies StatementType,
      workgroupName: e.WorkGroup,
      sequenceNumber: record.sequence,
      athenaError: e.Status.AthenaError,
    });
    try {
      const response = await this.options.bus.putEvents([entry]);
      this.eventFailures += response.FailedEntryCount;
      return response.FailedEntryCount === 0;
    } catch {
      this.eventFailures += 1;
      return false;
    }
  }

  private record(id: string): QueryRecord {
    const record = this.queries.get(id);
    if (record === undefined) throw new QueryNotFoundError(id);
    return record;
  }

  private forgetOld(): void {
    const keep = this.options.keepResults ?? 1000;
    for (const [id, record] of this.queries) {
      if (this.queries.size <= keep) return;
      const state = record.execution.Status.State;
      if (state === QueryState.Queued || state === QueryState.Running) continue;
      this.queries.delete(id);
      if (record.token !== undefined) this.tokens.delete(record.token);
      this.results.forget(id).catch((err: unknown) => process.emitWarning(`query ${id}: its kept result could not be removed: ${err instanceof Error ? err.message : String(err)}`));
      this.journal?.remove(id).catch((err: unknown) => process.emitWarning(`query ${id}: its journal entry could not be removed: ${err instanceof Error ? err.message : String(err)}`));
    }
  }
}

/** Whether StopQueryExecution asked for the query to end (read through a call: it changes across awaits). */
function stopRequested(record: QueryRecord): boolean {
  return record.stopRequested === true;
}

function isTerminal(state: QueryState): boolean {
  return state === QueryState.Succeeded || state === QueryState.Failed || state === QueryState.Cancelled;
}

/** A query's in-memory record, not yet ended. */
function newRecord(input: StartQueryExecutionInput, execution: QueryExecution): QueryRecord {
  let settle: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (settle = resolve));
  return { input, execution, finished, settle, sequence: 0, ...(input.ClientRequestToken === undefined ? {} : { token: input.ClientRequestToken }) };
}
