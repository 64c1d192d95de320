import { duckDbSizeBytes, duckDbSizeFromEnv } from '../../emulators/duckdb/bounded-duckdb';

/** The memory bound of the `up` process and the DuckDB memory limits of the embedded runtime's engines. */
export interface DuckDbMemorySettings {
  /** What the `up` process's resident memory should stay under (`TRIBUTARY_MEMORY`); the engines' defaults are shares of it. */
  readonly bound: string;
  /** The pipeline's query engine (refines, rejects, forecast inputs, views). */
  readonly pipeline: string;
  /** The engine serving users' own Athena queries on `up`'s port. */
  readonly userQueries: string;
  /** The one DuckDB every crawler infers schemas with. */
  readonly crawler: string;
  /** The DuckDB that inspects each landed file. */
  readonly inspector: string;
}

/** The bound unless `TRIBUTARY_MEMORY` sets one. */
export const DEFAULT_MEMORY_BOUND = '1.5GB';

/**
 * Each engine's default share of the bound. The rest (30%) is the Node heap, dynalite and what DuckDB
 * allocates outside its buffer pool.
 */
export const ENGINE_SHARES = { pipeline: 0.4, userQueries: 0.15, crawler: 0.1, inspector: 0.05 } as const;

/**
 * The bound from `TRIBUTARY_MEMORY` (default 1.5GB) and each engine's limit: its own variable
 * (`TRIBUTARY_QUERY_MEMORY`, `TRIBUTARY_USER_QUERY_MEMORY`, `TRIBUTARY_CRAWLER_MEMORY`,
 * `TRIBUTARY_INSPECT_MEMORY`) when set, else its share of the bound. Values are DuckDB sizes (`256MB`,
 * `2GB`); a malformed one is an error naming the variable.
 */
export function duckDbMemorySettings(env: NodeJS.ProcessEnv = process.env): DuckDbMemorySettings {
  const bound = duckDbSizeFromEnv(env, 'TRIBUTARY_MEMORY', DEFAULT_MEMORY_BOUND);
  const share = (part: keyof typeof ENGINE_SHARES): string => `${Math.max(16, Math.floor((duckDbSizeBytes(bound) * ENGINE_SHARES[part]) / 1e6))}MB`;
  return {
    bound,
    pipeline: duckDbSizeFromEnv(env, 'TRIBUTARY_QUERY_MEMORY', share('pipeline')),
    userQueries: duckDbSizeFromEnv(env, 'TRIBUTARY_USER_QUERY_MEMORY', share('userQueries')),
    crawler: duckDbSizeFromEnv(env, 'TRIBUTARY_CRAWLER_MEMORY', share('crawler')),
    inspector: duckDbSizeFromEnv(env, 'TRIBUTARY_INSPECT_MEMORY', share('inspector')),
  };
}
