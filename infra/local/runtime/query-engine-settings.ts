import type { DuckDbQueryEngineOptions } from '../../emulators/query/duckdb-query-engine';

/**
 * The query engine's connection count from the environment: `TRIBUTARY_QUERY_CONNECTIONS` (queries
 * run at once; default the cores, at most 4). A malformed value is an error naming the variable. Its
 * memory limit is in `duckDbMemorySettings` (`TRIBUTARY_QUERY_MEMORY`).
 */
export function queryEngineSettings(env: NodeJS.ProcessEnv = process.env): Pick<DuckDbQueryEngineOptions, 'connections'> {
  const connections = env.TRIBUTARY_QUERY_CONNECTIONS?.trim();
  if (!connections) return {};
  if (!/^[1-9]\d*$/.test(connections)) throw new Error(`TRIBUTARY_QUERY_CONNECTIONS must be a whole number of at least 1, got ${JSON.stringify(connections)}`);
  return { connections: Number(connections) };
}
