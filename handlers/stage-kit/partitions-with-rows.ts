import type { DatasetManifest } from '../../contracts/dataset-manifest';
import { QueryState, runQuery } from '../ports/query-engine';
import type { StageDeps } from '../stage-deps';
import { bindSql } from '../sql/bind-sql';
import { columnSql, eventTimeSql } from './event-time-sql';
import { sqlHour } from './hours';
import { databaseOf } from './naming';
import { readQueryRows } from './read-query-rows';
import { DependencyError } from './stage-error';

/** The ports this module's calls use. */
type KitDeps = Pick<StageDeps, 'query' | 'topology'>;

/** Objects per query: their URIs keep the SQL far below Athena's 256 KB limit. */
const OBJECTS_PER_QUERY = 500;

/**
 * The partitions (starts at the dataset's grain, epoch ms, sorted) in which some of `objects` (s3
 * URIs of the dataset's raw table) have an event in [from, to): one scan of those objects' event-time
 * column, with the manifest's event-time format (`eventTimeSql`), so a refine of sparse data plans
 * its queries by the partitions that hold rows, not by every partition its objects' ranges span.
 */
export async function partitionsWithRows(deps: KitDeps, manifest: DatasetManifest, objects: readonly string[], span: { from: number; to: number }): Promise<number[]> {
  const database = databaseOf(deps.topology, 'raw');
  const eventTime = eventTimeSql(columnSql(manifest.eventTime.column), manifest.eventTime.format);
  const starts = new Set<number>();
  for (let i = 0; i < objects.length; i += OBJECTS_PER_QUERY) {
    const sql = bindSql(
      [
        `SELECT DISTINCT CAST(to_unixtime(date_trunc('${manifest.partitioning.by}', event_time)) AS bigint) AS partition_start`,
        `FROM (SELECT ${eventTime} AS event_time FROM ${database}.${columnSql(manifest.name)} WHERE "$path" IN (:objects)) t`,
        'WHERE event_time >= CAST(:from AS timestamp) AND event_time < CAST(:to AS timestamp)',
      ].join('\n'),
      { objects: objects.slice(i, i + OBJECTS_PER_QUERY), from: sqlHour(span.from), to: sqlHour(span.to) },
    );
    const execution = await runQuery(deps.query, { QueryString: sql, WorkGroup: deps.topology.readWorkgroup, QueryExecutionContext: { Database: database } });
    if (execution.Status.State !== QueryState.Succeeded) {
      throw new DependencyError(`finding the partitions with rows of ${manifest.name}'s raw objects failed: ${execution.Status.AthenaError?.ErrorMessage ?? execution.Status.StateChangeReason ?? execution.Status.State}`, { retryable: true });
    }
    for (const row of await readQueryRows(deps.query, execution.QueryExecutionId)) {
      if (row.partition_start !== undefined) starts.add(Number(row.partition_start) * 1000);
    }
  }
  return [...starts].sort((a, b) => a - b);
}
