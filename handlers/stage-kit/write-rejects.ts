import { runQuery, QueryState } from '../ports/query-engine';
import type { RunSummary } from '../ports/run-store';
import type { StageDeps } from '../stage-deps';
import { bindSql } from '../sql/bind-sql';
import { readQueryRows } from './read-query-rows';
import { DependencyError } from './stage-error';

const ARRIVAL = /\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\//;

/** The arrival-hour window (`YYYYMMDDHH`, inclusive) the objects' keys name, or everything. */
function arrivalWindow(keys: readonly string[]): { arrival_from: string; arrival_to: string } {
  const hours = keys.map((k) => ARRIVAL.exec(`/${k}`)).map((m) => (m ? `${m[1]}${m[2]}${m[3]}${m[4]}` : undefined));
  if (hours.some((h) => h === undefined)) return { arrival_from: '0000000000', arrival_to: '9999999999' };
  const sorted = hours.filter((h): h is string => h !== undefined).sort();
  return { arrival_from: sorted[0] ?? '0000000000', arrival_to: sorted[sorted.length - 1] ?? '9999999999' };
}

/**
 * Keeps the invalid rows of some raw objects in the rejects table with their reason: runs the
 * dataset's rejects SQL over the objects' arrival window and writes, per object, one JSON-lines file
 * `<dataset>_rejects/run_id=<runId>/rejects.jsonl` in the refined zone (replaced whole, so a rerun
 * never doubles it). The refined crawler catalogues it as `<dataset>_rejects`. Returns the count per run.
 */
export async function writeRejects(deps: StageDeps, dataset: string, rejectsSql: string, runs: readonly RunSummary[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(runs.map((r) => [r.runId, 0]));
  if (runs.length === 0) return counts;
  const sql = bindSql(rejectsSql.trim().replace(/;\s*$/, ''), arrivalWindow(runs.map((r) => r.object.key)));
  const execution = await runQuery(deps.query, { QueryString: sql, WorkGroup: deps.topology.readWorkgroup, QueryExecutionContext: { Database: `${deps.topology.names.resourcePrefix}_raw` } });
  if (execution.Status.State !== QueryState.Succeeded) {
    throw new DependencyError(`rejects query failed: ${execution.Status.AthenaError?.ErrorMessage ?? execution.Status.StateChangeReason ?? execution.Status.State}`, { retryable: true });
  }
  const byObject = new Map(runs.map((r) => [`s3://${r.object.bucket}/${r.object.key}`, r.runId]));
  const rows = new Map<string, string[]>();
  for (const row of await readQueryRows(deps.query, execution.QueryExecutionId)) {
    const runId = byObject.get(row['source_object'] ?? '');
    if (!runId) continue;
    rows.set(runId, [...(rows.get(runId) ?? []), JSON.stringify(row)]);
  }
  for (const [runId, lines] of rows) {
    await deps.objects.putObject(deps.topology.buckets.refined, `${dataset}_rejects/run_id=${runId}/rejects.jsonl`, `${lines.sort().join('\n')}\n`);
    counts.set(runId, lines.length);
  }
  return counts;
}
