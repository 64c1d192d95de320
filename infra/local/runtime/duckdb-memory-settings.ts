import { duckDbSizeFromEnv } from '../../emulators/duckdb/bounded-duckdb';

/** The DuckDB memory limits of the embedded runtime's engines besides the pipeline's query engine (see `queryEngineSettings`). */
export interface DuckDbMemorySettings {
  /** The engine serving users' own Athena queries on `up`'s port. */
  readonly userQueries: string;
  /** The one DuckDB every crawler infers schemas with. */
  readonly crawler: string;
  /** The DuckDB that inspects each landed file. */
  readonly inspector: string;
}

/** The limits unless the environment sets them. */
export const DEFAULT_DUCKDB_MEMORY: DuckDbMemorySettings = { userQueries: '512MB', crawler: '256MB', inspector: '128MB' };

/**
 * The memory limits from the environment: `TRIBUTARY_USER_QUERY_MEMORY`, `TRIBUTARY_CRAWLER_MEMORY`
 * and `TRIBUTARY_INSPECT_MEMORY` (DuckDB sizes such as `256MB`); a malformed value is an error naming
 * the variable.
 */
export function duckDbMemorySettings(env: NodeJS.ProcessEnv = process.env): DuckDbMemorySettings {
  return {
    userQueries: duckDbSizeFromEnv(env, 'TRIBUTARY_USER_QUERY_MEMORY', DEFAULT_DUCKDB_MEMORY.userQueries),
    crawler: duckDbSizeFromEnv(env, 'TRIBUTARY_CRAWLER_MEMORY', DEFAULT_DUCKDB_MEMORY.crawler),
    inspector: duckDbSizeFromEnv(env, 'TRIBUTARY_INSPECT_MEMORY', DEFAULT_DUCKDB_MEMORY.inspector),
  };
}
