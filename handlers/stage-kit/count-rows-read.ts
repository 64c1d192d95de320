import { QueryState, runQuery } from '../ports/query-engine';
import type { StageDeps } from '../stage-deps';
import { bindSql } from '../sql/bind-sql';
import { readQueryRows } from './read-query-rows';
import { databaseOf } from './naming';
import { AccountingError } from './row-accounting';
import { DependencyError } from './stage-error';

/** The ports this module's calls use. */
type KitDeps = Pick<StageDeps, 'query' | 'topology'>;

/** Objects per count query: their URIs keep the SQL far below Athena's 256 KB limit. */
const OBJECTS_PER_QUERY = 500;

/**
 * The rows the query engine reads from each raw object (by `"$path"`, from the dataset's one raw
 * table): the left side of row accounting for objects whose rows were not counted at landing (only
 * JSON lines are). It depends on no dataset SQL, so a row the dataset's SQL loses cannot hide here.
 * Raw objects are never empty (an empty file is quarantined), so an object the table does not list
 * is an accounting error naming it: its rows would otherwise balance at zero. Returns counts by s3 URI.
 */
export async function countRowsRead(deps: KitDeps, dataset: string, objects: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const wanted = new Set(objects);
  const table = `${databaseOf(deps.topology, 'raw')}.${dataset}`;
  for (let i = 0; i < objects.length; i += OBJECTS_PER_QUERY) {
    const sql = bindSql(`SELECT "$path" AS object, count(*) AS n FROM ${table} WHERE "$path" IN (:objects) GROUP BY "$path"`, { objects: objects.slice(i, i + OBJECTS_PER_QUERY) });
    const execution = await runQuery(deps.query, { QueryString: sql, WorkGroup: deps.topology.readWorkgroup, QueryExecutionContext: { Database: databaseOf(deps.topology, 'raw') } });
    if (execution.Status.State !== QueryState.Succeeded) {
      throw new DependencyError(`counting the rows of ${dataset}'s raw objects failed: ${execution.Status.AthenaError?.ErrorMessage ?? execution.Status.StateChangeReason ?? execution.Status.State}`, { retryable: true });
    }
    for (const row of await readQueryRows(deps.query, execution.QueryExecutionId)) {
      if (row.object !== undefined && wanted.has(row.object)) counts.set(row.object, Number(row.n ?? 0));
    }
  }
  const unread = objects.filter((o) => !counts.has(o));
  if (unread.length > 0) throw new AccountingError(`the raw table ${table} reads no row of ${unread.length} landed object(s), so their rows cannot be refined or rejected: ${unread.slice(0, 5).join(', ')}${unread.length > 5 ? ', …' : ''} (was it catalogued as another table?)`);
  return counts;
}
