import type { DuckDbQueryEngineOptions } from '../../emulators/query/duckdb-query-engine';

/**
 * The query engine's resource settings from the environment: `TRIBUTARY_QUERY_MEMORY` (DuckDB's
 * `memory_limit`, e.g. `2GB`; default 1GB) and `TRIBUTARY_QUERY_CONNECTIONS` (queries run at once;
 * default the cores, at most 4). A malformed value is an error naming the variable.
 */
export function queryEngineSettings(env: NodeJS.ProcessEnv = process.env): Pick<DuckDbQueryEngineOptions, 'memoryLimit' | 'connections'> {
  const settings: { memoryLimit?: string; connections?: number } = {};
  const memory = env.TRIBUTARY_QUERY_MEMORY?.trim();
  if (memory) settings.memoryLimit = memory;
  const connections = env.TRIBUTARY_QUERY_CONNECTIONS?.trim();
  if (connections) {
    if (!/^[1-9]\d*$/.test(connections)) throw new Error(`TRIBUTARY_QUERY_CONNECTIONS must be a whole number of at least 1, got ${JSON.stringify(connections)}`);
    settings.connections = Number(connections);
  }
  return settings;
}
