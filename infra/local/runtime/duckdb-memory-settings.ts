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
 * The least memory each engine works with, in MB: DuckDB's JSON reader takes a 32 MiB buffer per
 * file it reads, so an inspector or crawler below 64MB fails on every JSON file it opens, and the
 * pipeline's refines (several files read at once on each connection) ran out of memory on the demo at
 * 128MB and finished at 256MB.
 */
export const ENGINE_MINIMUM_MB = { pipeline: 256, userQueries: 64, crawler: 64, inspector: 64 } as const;

const ENGINE_VARIABLES = { pipeline: 'TRIBUTARY_QUERY_MEMORY', userQueries: 'TRIBUTARY_USER_QUERY_MEMORY', crawler: 'TRIBUTARY_CRAWLER_MEMORY', inspector: 'TRIBUTARY_INSPECT_MEMORY' } as const;

/**
 * The bound from `TRIBUTARY_MEMORY` (default 1.5GB) and each engine's limit: its own variable
 * (`TRIBUTARY_QUERY_MEMORY`, `TRIBUTARY_USER_QUERY_MEMORY`, `TRIBUTARY_CRAWLER_MEMORY`,
 * `TRIBUTARY_INSPECT_MEMORY`) when set, else its share of the bound, never below the engine's
 * minimum. Values are DuckDB sizes (`256MB`, `2GB`); a malformed one, or an engine's own value below
 * its minimum, is an error naming the variable.
 */
export function duckDbMemorySettings(env: NodeJS.ProcessEnv = process.env): DuckDbMemorySettings {
  const bound = duckDbSizeFromEnv(env, 'TRIBUTARY_MEMORY', DEFAULT_MEMORY_BOUND);
  const limit = (part: keyof typeof ENGINE_SHARES): string => {
    const minimum = ENGINE_MINIMUM_MB[part];
    const share = `${Math.max(minimum, Math.floor((duckDbSizeBytes(bound) * ENGINE_SHARES[part]) / 1e6))}MB`;
    const value = duckDbSizeFromEnv(env, ENGINE_VARIABLES[part], share);
    if (duckDbSizeBytes(value) < minimum * 1e6) throw new Error(`${ENGINE_VARIABLES[part]} must be at least ${minimum}MB, got ${JSON.stringify(value)}`);
    return value;
  };
  return { bound, pipeline: limit('pipeline'), userQueries: limit('userQueries'), crawler: limit('crawler'), inspector: limit('inspector') };
}
