import { lineOfJsonPath } from './json-line';
import { ConfigurationError } from '../../contracts/configuration-error';
import type { DatasetManifest } from '../../contracts/dataset-manifest';
import type { GlueColumn } from '../../handlers/ports/catalog';
import type { Dataset } from '../../handlers/ports/dataset-store';
import { QueryState, runQuery, type QueryEnginePort } from '../../handlers/ports/query-engine';
import { bindStatement, lineAt, sqlLiteral, statementText, type SqlSource, type SqlValue } from '../../handlers/sql/bind-sql';
import { queryFailedError, sqlOf } from '../../handlers/stage-kit/dataset-sql';
import { sqlHour } from '../../handlers/stage-kit/hours';
import { windowParams } from '../../handlers/stage-kit/refine-plan';
import { forecastInputSource } from '../../handlers/stage-kit/forecast-input-sql';

/** The databases the dataset SQL names (the local topology's, as the shipped SQL spells them). */
export const RAW_DATABASE = 'tributary_raw';
export const REFINED_DATABASE = 'tributary_refined';

/** The database names a stage binds into every statement (`:raw_database` …), here the local topology's; a statement may leave them unused. */
const DATABASE_PARAMS = { raw_database: { identifier: RAW_DATABASE }, refined_database: { identifier: REFINED_DATABASE }, forecast_database: { identifier: 'tributary_forecast' } };

/** What the checks need: an engine over a scratch catalog where they may create the dataset's tables. */
export interface CompileTarget {
  readonly engine: QueryEnginePort;
  /** Creates `tributary_raw.<name>` with these columns (no files: an empty table of that schema). */
  createRawTable(name: string, format: string, columns: readonly GlueColumn[]): Promise<void>;
}

/** The Glue type the crawler gives each declared raw column type (JSON numbers with a fraction are double). */
const GLUE_TYPE_OF: Readonly<Record<string, string>> = { string: 'string', integer: 'bigint', number: 'double', boolean: 'boolean' };

/** An hour-aligned window of one hour, as the refine and forecast stages bind theirs. */
const SAMPLE_WINDOW = { start: Date.UTC(2024, 0, 1), end: Date.UTC(2024, 0, 1, 1), hours: [Date.UTC(2024, 0, 1)] };

/**
 * Compiles a dataset's SQL without data: each quality rule's predicate as a filter over the raw
 * table (its line found in `manifestText`), then binds each statement with the placeholders its stage binds,
 * and runs the refine and rejects SELECTs on an empty raw table of the declared columns, checks the
 * refine's output conventions (lineage columns, partition keys last and in order), creates the refined
 * table from the refine's output (CTAS WITH NO DATA), and runs the views and the forecast input over
 * it. One ConfigurationError per problem, each with its file and line (the engine's, else line 1);
 * a refine that does not compile skips what reads the refined table (its errors would only echo it).
 */
export async function compileDatasetSql(dataset: Dataset, target: CompileTarget, manifestText = ''): Promise<ConfigurationError[]> {
  const { manifest } = dataset;
  const declared = manifest.raw.columns;
  if (declared === undefined) {
    const at = manifestText.indexOf('"raw"');
    return [new ConfigurationError(dataset.files.manifest, at === -1 ? 1 : lineAt(manifestText, at), 'raw.columns is not declared, so the SQL cannot be checked before data lands: declare each raw column and its type (`tributary dataset new` writes them from a sample file)')];
  }
  const columns = Object.entries(declared).map(([name, type]) => ({ Name: name.toLowerCase(), Type: GLUE_TYPE_OF[type] ?? 'string' }));
  const eventTime = manifest.eventTime.column;
  if (!columns.some((c) => c.Name === eventTime.toLowerCase())) {
    // Landing reads the event time from this column: a typo would leave every file without one.
    const problem = `eventTime.column ${JSON.stringify(eventTime)} is not a raw column (raw.columns: ${columns.map((c) => c.Name).join(', ')})`;
    return [new ConfigurationError(dataset.files.manifest, lineOfJsonPath(manifestText, ['eventTime', 'column']) ?? 1, problem)];
  }
  await target.createRawTable(manifest.name, manifest.raw.format, columns);
  return [...(await qualityProblems(dataset, target.engine, manifestText)), ...(await statementProblems(dataset, target.engine, manifestText))];
}

/** The problems of the dataset's SQL files, over the raw table already created. */
async function statementProblems(dataset: Dataset, engine: QueryEnginePort, manifestText: string): Promise<ConfigurationError[]> {
  const { manifest } = dataset;
  const problems: ConfigurationError[] = [];
  const objects = [`s3://tributary-raw/${manifest.raw.keyPrefix ?? `${manifest.name}/`}sample`];
  const refine = sqlOf(dataset, 'refineSql');
  const refined = await compileSelect(engine, refine, windowParams(SAMPLE_WINDOW, manifest, objects), RAW_DATABASE, 'refine query');
  if ('problem' in refined) problems.push(refined.problem);
  else problems.push(...refineConventions(refine, refined.columns, manifest));
  if (dataset.rejectsSql !== undefined) {
    const rejects = sqlOf(dataset, 'rejectsSql');
    const compiled = await compileSelect(engine, rejects, { objects }, RAW_DATABASE, 'rejects query');
    if ('problem' in compiled) problems.push(compiled.problem);
    else for (const column of ['source_object', 'reason'].filter((c) => !compiled.columns.includes(c))) problems.push(new ConfigurationError(rejects.file, 1, `the rejects SELECT must output a ${column} column (outputs ${compiled.columns.join(', ')})`));
  }
  if (problems.length > 0) return problems;
  const unknown = 'columns' in refined ? forecastColumnProblems(dataset, refined.columns, manifestText) : [];
  if (unknown.length > 0) return unknown;
  const keys = manifest.partitioning.keys.map((k) => sqlLiteral(k)).join(', ');
  const ctas = `CREATE TABLE ${REFINED_DATABASE}.${manifest.name} WITH (external_location = ${sqlLiteral(`s3://tributary-refined/${manifest.name}/`)}, format = 'PARQUET', partitioned_by = ARRAY[${keys}]) AS ${bindStatement(refine, { ...DATABASE_PARAMS, ...windowParams(SAMPLE_WINDOW, manifest, objects) }, Object.keys(DATABASE_PARAMS))}\nWITH NO DATA`;
  const created = await runQuery(engine, { QueryString: ctas, QueryExecutionContext: { Database: RAW_DATABASE }, WorkGroup: 'primary' });
  if (created.Status.State !== QueryState.Succeeded) return [atALine(queryFailedError(created, refine, 'refined table', { retryable: false }), refine.file)];
  for (const view of dataset.views) {
    const compiled = await compileStatement(engine, view, {}, REFINED_DATABASE, 'view');
    if ('problem' in compiled) problems.push(compiled.problem);
  }
  if (manifest.forecast !== undefined) {
    // The forecast stage's input: the dataset's own inputSql, else the one generated from its settings.
    const input = forecastInputSource(dataset, REFINED_DATABASE);
    const compiled = await compileSelect(engine, input, { window_start: sqlHour(SAMPLE_WINDOW.start), window_end: sqlHour(SAMPLE_WINDOW.end) }, REFINED_DATABASE, 'forecast input query');
    if ('problem' in compiled) problems.push(compiled.problem);
  }
  return problems;
}

/**
 * The forecast settings' target and group-by columns that the refined table lacks, each at its key's
 * line in the manifest (the generated forecast input would fail on them at a line of SQL nobody wrote).
 */
function forecastColumnProblems(dataset: Dataset, refinedColumns: readonly string[], manifestText: string): ConfigurationError[] {
  const settings = dataset.manifest.forecast;
  if (settings === undefined || settings.inputSql !== undefined) return [];
  const named: [string, string, PropertyKey[]][] = [['forecast.target', settings.target, ['forecast', 'target']], ...settings.groupBy.map((c, i): [string, string, PropertyKey[]] => [`forecast.groupBy[${i}]`, c, ['forecast', 'groupBy', i]])];
  return named
    .filter(([, column]) => !refinedColumns.includes(column.toLowerCase()))
    .map(([key, column, at]) => new ConfigurationError(dataset.files.manifest, lineOfJsonPath(manifestText, at) ?? 1, `${key} ${JSON.stringify(column)} is not a column of the refined table (its columns: ${refinedColumns.join(', ')})`));
}

/** Each quality rule's predicate compiled as a filter over the raw table; a problem points at the predicate's line in the manifest. */
async function qualityProblems(dataset: Dataset, engine: QueryEnginePort, manifestText: string): Promise<ConfigurationError[]> {
  const problems: ConfigurationError[] = [];
  for (const rule of dataset.manifest.quality) {
    const sql = `SELECT count(*) FROM ${RAW_DATABASE}.${dataset.manifest.name} WHERE ${rule.predicate}`;
    const execution = await runQuery(engine, { QueryString: sql, QueryExecutionContext: { Database: RAW_DATABASE }, WorkGroup: 'primary' });
    if (execution.Status.State === QueryState.Succeeded) continue;
    const at = manifestText.indexOf(JSON.stringify(rule.predicate));
    const reason = execution.Status.StateChangeReason ?? execution.Status.State;
    problems.push(new ConfigurationError(dataset.files.manifest, at === -1 ? 1 : lineAt(manifestText, at), `quality rule ${rule.name}: its predicate does not compile over the raw columns: ${reason.replace(/\bline \d+:(\d+)/, 'column $1')}`));
  }
  return problems;
}

type Compiled = { readonly columns: readonly string[] } | { readonly problem: ConfigurationError };

/** Binds and runs a SELECT; its output column names, or the problem with its file and line. */
async function compileSelect(engine: QueryEnginePort, source: SqlSource, params: Readonly<Record<string, SqlValue>>, database: string, what: string): Promise<Compiled> {
  const compiled = await compileStatement(engine, source, params, database, what);
  if ('problem' in compiled) return compiled;
  const results = await engine.getQueryResults(compiled.queryExecutionId, { MaxResults: 1 });
  return { columns: results.ResultSet.ResultSetMetadata.ColumnInfo.map((c) => c.Name) };
}

/** Binds and runs one statement of a dataset; the query id, or the problem with its file and line. */
async function compileStatement(engine: QueryEnginePort, source: SqlSource, params: Readonly<Record<string, SqlValue>>, database: string, what: string): Promise<{ readonly queryExecutionId: string } | { readonly problem: ConfigurationError }> {
  let sql: string;
  try {
    sql = bindStatement(source, { ...DATABASE_PARAMS, ...params }, Object.keys(DATABASE_PARAMS));
  } catch (err) {
    if (err instanceof ConfigurationError) return { problem: atALine(err, source.file) };
    throw err;
  }
  const execution = await runQuery(engine, { QueryString: sql, QueryExecutionContext: { Database: database }, WorkGroup: 'primary' });
  if (execution.Status.State === QueryState.Succeeded) return { queryExecutionId: execution.QueryExecutionId };
  return { problem: atALine(queryFailedError(execution, source, what, { retryable: false }), source.file) };
}

/** The refine's output conventions: lineage columns present, partition keys last and in order. */
function refineConventions(source: SqlSource, columns: readonly string[], manifest: DatasetManifest): ConfigurationError[] {
  const problems: ConfigurationError[] = [];
  for (const column of ['source_object', 'duplicate_objects'].filter((c) => !columns.includes(c))) {
    problems.push(new ConfigurationError(source.file, 1, `the refine SELECT must output a ${column} column (row accounting reads it; see sql/traffic/refine.sql)`));
  }
  const keys = manifest.partitioning.keys;
  const tail = columns.slice(columns.length - keys.length);
  const misplaced = keys.findIndex((k, i) => tail[i] !== k);
  if (misplaced !== -1) {
    const key = keys[misplaced] ?? '';
    problems.push(new ConfigurationError(source.file, lineOfAlias(source.sql, key), `the partition keys ${keys.join(', ')} must be the last columns of the refine SELECT, in that order (its last ${keys.length} are ${tail.join(', ')})`));
  }
  return problems;
}

/** The line of the last `AS <name>` in the statement (the outer SELECT's alias), else of the last `<name>` word, else 1. */
function lineOfAlias(sql: string, name: string): number {
  const text = statementText(sql);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const pattern of [new RegExp(`\\bAS\\s+"?${escaped}"?(?![A-Za-z0-9_])`, 'gi'), new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`, 'g')]) {
    const matches = [...text.matchAll(pattern)];
    const last = matches[matches.length - 1];
    if (last?.index !== undefined) return lineAt(text, last.index);
  }
  return 1;
}

/** A problem as a ConfigurationError with a line: the engine's or the binder's, else line 1 of `file`. */
function atALine(err: unknown, file: string): ConfigurationError {
  if (err instanceof ConfigurationError && err.line !== undefined) return err;
  const message = err instanceof Error ? err.message : String(err);
  const problem = err instanceof ConfigurationError && message.startsWith(`${err.file}: `) ? message.slice(err.file.length + 2) : message;
  return new ConfigurationError(file, 1, problem);
}
