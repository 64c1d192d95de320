import { QueryState, runQuery } from '../ports/query-engine';
import type { StageDeps } from '../stage-deps';
import { bindSql } from '../sql/bind-sql';
import { readQueryRows } from './read-query-rows';
import { databaseOf } from './naming';
import { DependencyError } from './stage-error';

/** Objects per count query: their URIs keep the SQL far below Athena's 256 KB limit. */
const OBJECTS_PER_QUERY = 500;

/**
 * The rows the query engine reads from each raw object (by `"$path"`, from the dataset's one raw
 * table), the left side of row accounting. It reads the objects as the refine does but depends on no
 * dataset SQL, so a row the dataset's SQL loses cannot hide here. An object the table does not
 * list reads as 0 rows (then its refined rows, if any, do not balance). Returns counts by s3 URI.
 */
export async function countRowsRead(deps: StageDeps, dataset: string, objects: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(objects.map((o) => [o, 0]));
  const table = `${databaseOf(deps.topology, 'raw')}.${dataset}`;
  for (let i = 0; i < objects.length; i += OBJECTS_PER_QUERY) {
    const sql = bindSql(`SELECT "$path" AS object, count(*) AS n FROM ${table} WHERE "$path" IN (:objects) GROUP BY "$path"`, { objects: objects.slice(i, i + OBJECTS_PER_QUERY) });
    const execution = await runQuery(deps.query, { QueryString: sql, WorkGroup: deps.topology.readWorkgroup, QueryExecutionContext: { Database: databaseOf(deps.topology, 'raw') } });
    if (execution.Status.State !== QueryState.Succeeded) {
      throw new DependencyError(`counting the rows of ${dataset}'s raw objects failed: ${execution.Status.AthenaError?.ErrorMessage ?? execution.Status.StateChangeReason ?? execution.Status.State}`, { retryable: true });
    }
    for (const row of await readQueryRows(deps.query, execution.QueryExecutionId)) {
      if (row.object !== undefined && counts.has(row.object)) counts.set(row.object, Number(row.n ?? 0));
    }
  }
  return counts;
}
