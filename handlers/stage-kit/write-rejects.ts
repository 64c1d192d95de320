import { z } from 'zod';
import { runQuery, QueryState } from '../ports/query-engine';
import type { RunSummary } from '../ports/run-store';
import type { StageDeps } from '../stage-deps';
import { sqlLiteral, type SqlSource } from '../sql/bind-sql';
import { bindDatasetStatement, queryFailedError } from './dataset-sql';
import { forEachLimited } from './for-each-limited';
import { stableHash } from './naming';

/** Per-run files read and written at once (small files; latency-bound). */
const IN_FLIGHT = 16;
/** A staged reject line: the run it belongs to, then the rejects SQL's columns. */
const RejectLineSchema = z.looseObject({ run_id: z.string() });
/** Runs per rejects query: their object-to-run list keeps the SQL far below Athena's 256 KB limit. */
const RUNS_PER_QUERY = 500;

/** A staged line that starts with its run id, as the engine writes the SELECT's first column; the rest is the row. */
const LEADING_RUN_ID = /^\{"run_id":"([A-Za-z0-9_.:-]+)",/;

/**
 * A staged reject line's run id and its row as a JSON object without it. The usual line starts with
 * the run id and is split as text (parsing ~60k lines per 3M rows cost more than the query); any
 * other shape is parsed.
 */
export function splitRunId(line: string): [string, string] {
  const lead = LEADING_RUN_ID.exec(line);
  if (lead?.[1] !== undefined) return [lead[1], `{${line.slice(lead[0].length).trimEnd()}`];
  const { run_id: runId, ...row } = RejectLineSchema.parse(JSON.parse(line));
  return [runId, JSON.stringify(row)];
}

/**
 * Keeps the invalid rows of some raw objects in the rejects table with their reason. One UNLOAD runs
 * the dataset's rejects SQL over these objects (`"$path" IN (:objects)`: no partition column of the
 * raw table is read, so any key layout works), joins each row to its run by its source object and
 * writes them as JSON lines to a staging prefix, so no row travels through query results. Then the
 * rows of each raw object become one file `<dataset>_rejects/object=<hash of its key>/rejects.jsonl`
 * in the refined zone (lines sorted, replaced whole in one put, so a rerun or a concurrent duplicate
 * never doubles or splits it), and the staging is deleted. The file is keyed by the object, not the
 * run, and written only while the run's version is the object's current one: a key overwritten with
 * new bytes (a new run) replaces its rejects instead of adding to them. The refined crawler
 * catalogues it as `<dataset>_rejects`. Runs go 500 to a query. Returns the count per run.
 */
export async function writeRejects(deps: StageDeps, dataset: string, rejectsSql: SqlSource, runs: readonly RunSummary[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(runs.map((r) => [r.runId, 0]));
  for (let i = 0; i < runs.length; i += RUNS_PER_QUERY) {
    const byRun = await rejectedLines(deps, rejectsSql, runs.slice(i, i + RUNS_PER_QUERY));
    await forEachLimited(runs.slice(i, i + RUNS_PER_QUERY), IN_FLIGHT, async (run) => {
      const lines = byRun.get(run.runId) ?? [];
      counts.set(run.runId, lines.length);
      if ((await deps.objects.headObject(run.object.bucket, run.object.key))?.etag !== run.object.etag) return;
      const key = rejectsKeyOf(dataset, run.object.key);
      // No rejects: an earlier version's file of the same key must not stay.
      if (lines.length === 0) await deps.objects.deleteObject(deps.topology.buckets.refined, key);
      else await deps.objects.putObject(deps.topology.buckets.refined, key, `${lines.sort().join('\n')}\n`);
    });
  }
  return counts;
}

/** Where the rejects of a raw object live in the refined zone: one folder per object key. */
export function rejectsKeyOf(dataset: string, objectKey: string): string {
  return `${dataset}_rejects/object=${stableHash(objectKey)}/rejects.jsonl`;
}

/** Runs the rejects UNLOAD for some runs and returns each run's rejected rows as JSON lines (without run_id). */
async function rejectedLines(deps: StageDeps, rejectsSql: SqlSource, runs: readonly RunSummary[]): Promise<Map<string, string[]>> {
  const bucket = deps.topology.buckets.refined;
  const uris = runs.map((r) => `s3://${r.object.bucket}/${r.object.key}`);
  const body = bindDatasetStatement(rejectsSql, deps.topology, { objects: uris });
  const owners = runs.map((r, i) => `(${sqlLiteral(uris[i] ?? '')}, ${sqlLiteral(r.runId)})`).join(',\n  ');
  const staging = `_staging/rejects/${stableHash(...runs.map((r) => r.runId))}-${deps.clock().getTime()}/`;
  const sql = [
    `UNLOAD (SELECT o.run_id, r.* FROM (${body}\n) r`,
    `JOIN (VALUES\n  ${owners}\n) AS o(object_uri, run_id) ON r.source_object = o.object_uri`,
    `) TO ${sqlLiteral(`s3://${bucket}/${staging}`)} WITH (format = 'JSON')`,
  ].join('\n');
  const execution = await runQuery(deps.query, { QueryString: sql, WorkGroup: deps.topology.readWorkgroup, QueryExecutionContext: { Database: `${deps.topology.names.resourcePrefix}_raw` } });
  if (execution.Status.State !== QueryState.Succeeded) throw queryFailedError(execution, rejectsSql, 'rejects query', { retryable: true });
  const staged = await deps.objects.listObjects(bucket, staging);
  const byRun = new Map<string, string[]>();
  try {
    for (const file of staged) {
      for (const line of (await deps.objects.getObject(bucket, file.key)).toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        const [runId, row] = splitRunId(line);
        const lines = byRun.get(runId) ?? [];
        lines.push(row);
        byRun.set(runId, lines);
      }
    }
  } finally {
    await forEachLimited(staged, IN_FLIGHT, (s) => deps.objects.deleteObject(bucket, s.key));
  }
  return byRun;
}
