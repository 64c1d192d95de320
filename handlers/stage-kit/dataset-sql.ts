import { ConfigurationError } from '../../contracts/configuration-error';
import type { PipelineError } from '../../contracts/pipeline-error';
import type { Dataset } from '../ports/dataset-store';
import type { QueryExecution } from '../ports/query-engine';
import { bindStatement, statementText, type SqlIdentifier, type SqlSource, type SqlValue } from '../sql/bind-sql';
import type { LakeTopology } from '../stage-deps';
import { databaseOf } from './naming';
import { DependencyError } from './stage-error';

/** Athena's `AthenaError.ErrorCategory` of a user error: the query itself is wrong (1 is system, 3 other). */
const USER_ERROR = 2;
/** User errors that may only mean the catalog has not caught up yet (a crawl still running). */
const NOT_CATALOGUED_YET = /^(TABLE_NOT_FOUND|SCHEMA_NOT_FOUND)\b/;

/** One of a dataset's statements with the file it came from; a missing one is the manifest's mistake. */
export function sqlOf(dataset: Dataset, which: 'refineSql' | 'rejectsSql' | 'forecastInputSql'): SqlSource {
  const sql = dataset[which];
  const file = dataset.files[which];
  if (sql === undefined || file === undefined) throw new ConfigurationError(dataset.files.manifest, undefined, `dataset ${dataset.manifest.name} has no ${which}`);
  return { file, sql };
}

/**
 * The databases a dataset's SQL names, bound as identifiers (`FROM :raw_database.traffic`): the
 * stack's prefix (`-c prefix=…`) renames them, so no statement may hard-code `tributary_raw`.
 */
export function databaseParams(topology: LakeTopology): { raw_database: SqlIdentifier; refined_database: SqlIdentifier; forecast_database: SqlIdentifier } {
  return {
    raw_database: { identifier: databaseOf(topology, 'raw') },
    refined_database: { identifier: databaseOf(topology, 'refined') },
    forecast_database: { identifier: databaseOf(topology, 'forecast') },
  };
}

/** Binds a dataset's statement with its values and the lake's database names (which a statement may leave unused). */
export function bindDatasetStatement(source: SqlSource, topology: LakeTopology, params: Readonly<Record<string, SqlValue>> = {}): string {
  const databases = databaseParams(topology);
  return bindStatement(source, { ...databases, ...params }, Object.keys(databases));
}

/**
 * The error of a query of a dataset's statement that did not succeed, classified as Athena
 * classifies it: a user-category failure (syntax, an unknown column or function, a type mismatch …)
 * is a {@link ConfigurationError} naming the file and the line the engine points at, never retried,
 * because the same SQL fails the same way until a person fixes it; anything else (a system error, a
 * cancel, a timeout) is a DependencyError with the caller's `retryable`. With `catalogMayLag`, a
 * table or schema not found is a dependency error too, as the crawl that creates it may still be running.
 * The statement must start on its query's first line (as `bindStatement` keeps it), so the engine's
 * `line N` is the file's line N.
 */
export function queryFailedError(execution: QueryExecution, source: SqlSource, what: string, options: { readonly retryable: boolean; readonly catalogMayLag?: boolean }): PipelineError {
  const state = execution.Status.State;
  const reason = execution.Status.AthenaError?.ErrorMessage ?? execution.Status.StateChangeReason ?? state;
  const userError = execution.Status.AthenaError?.ErrorCategory === USER_ERROR && !(options.catalogMayLag && NOT_CATALOGUED_YET.test(reason));
  if (!userError) return new DependencyError(`${what} ${state}: ${reason} (${source.file})`, { retryable: options.retryable });
  const pointed = /\bline (\d+):\d+/.exec(reason);
  const line = pointed?.[1] === undefined ? undefined : Number(pointed[1]);
  const inFile = line !== undefined && line <= statementText(source.sql).split('\n').length;
  return new ConfigurationError(source.file, inFile ? line : undefined, `${what} ${state}: ${reason}${line !== undefined && !inFile ? ' (the line is in the statement the stage wraps around this file)' : ''}`);
}
