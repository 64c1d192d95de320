import { z } from 'zod';
import { NoSuchKeyError } from '../ports/object-store-errors';
import { runQuery, QueryState } from '../ports/query-engine';
import type { RunSummary } from '../ports/run-store';
import type { StageDeps } from '../stage-deps';
import { sqlLiteral, type SqlSource } from '../sql/bind-sql';
import { bindDatasetStatement, queryFailedError } from './dataset-sql';
import { forEachLimited } from './for-each-limited';
import { stableHash } from './naming';

/** The ports this module's calls use. */
type KitDeps = Pick<StageDeps, 'clock' | 'objects' | 'query' | 'topology'>;

/** Object-store calls in flight at once (small files; latency-bound). */
const IN_FLIGHT = 16;
/** A staged reject line: the run it belongs to, then the rejects SQL's columns. */
const RejectLineSchema = z.looseObject({ run_id: z.string() });
/** A kept reject row: the object it came from is its `source_object` column. */
const RejectRowSchema = z.looseObject({ source_object: z.string() });
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
 * rows of the batch (up to 500 runs, one query) become ONE file
 * `<dataset>_rejects/batch-<hash of the batch's object keys>.jsonl` in the refined zone (lines
 * sorted, replaced whole in one put), and the staging is deleted: the refined crawl reads one file per
 * refine batch, not one per run. The files sit at the table's root, not in a `batch=` folder: a
 * partition column would show readers which batch a row came with, which depends on timing, and the
 * table must be a function of the raw objects and the SQL alone.
 *
 * The table stays a function of its inputs, each object's rows in exactly one file:
 * - a rerun of the same batch has the same key and replaces its file;
 * - an object whose rows an earlier, different batch holds (a retry window, or a key overwritten with
 *   new bytes — a new run) has them removed from that file: an index entry per object with rejects
 *   (`_rejects-index/<dataset>/<hash of its key>`, outside every crawled table) names the batch file
 *   that holds them, and is written after the new batch file, so a crash between the two is repaired
 *   by the retry; after its index writes a batch re-reads them and gives up the rows of any object a
 *   concurrent batch has claimed since;
 * - rows are written only for runs whose version is the object's current one.
 * The refined crawler catalogues the files as `<dataset>_rejects`. Returns the count per run.
 */
export async function writeRejects(deps: KitDeps, dataset: string, rejectsSql: SqlSource, runs: readonly RunSummary[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(runs.map((r) => [r.runId, 0]));
  for (let i = 0; i < runs.length; i += RUNS_PER_QUERY) {
    const batch = runs.slice(i, i + RUNS_PER_QUERY);
    const byRun = await rejectedLines(deps, rejectsSql, batch);
    for (const run of batch) counts.set(run.runId, byRun.get(run.runId)?.length ?? 0);
    await keepBatch(deps, dataset, batch, byRun);
  }
  return counts;
}

/** Where the rejects of one refine batch live in the refined zone: one folder per batch of object keys. */
export function rejectsBatchKeyOf(dataset: string, objectKeys: readonly string[]): string {
  return `${dataset}_rejects/batch-${stableHash(...[...new Set(objectKeys)].sort())}.jsonl`;
}

/** Where the index entry of a raw object's rejects lives: it names the batch file holding them. */
export function rejectsIndexKeyOf(dataset: string, objectKey: string): string {
  return `_rejects-index/${dataset}/${stableHash(objectKey)}`;
}

/** The rejected rows of one raw object as kept in the rejects table (JSON lines), or none. */
export async function readObjectRejects(deps: Pick<StageDeps, 'objects' | 'topology'>, dataset: string, object: { bucket: string; key: string }): Promise<string[]> {
  const bucket = deps.topology.buckets.refined;
  const batchKey = await readText(deps, bucket, rejectsIndexKeyOf(dataset, object.key));
  if (batchKey === undefined) return [];
  const uri = `s3://${object.bucket}/${object.key}`;
  return ((await readText(deps, bucket, batchKey)) ?? '').split('\n').filter((line) => line !== '' && sourceOf(line) === uri);
}

/** Writes one batch's file, takes its objects' rows out of earlier batches' files, then points their index entries at it. */
async function keepBatch(deps: KitDeps, dataset: string, batch: readonly RunSummary[], byRun: ReadonlyMap<string, readonly string[]>): Promise<void> {
  const bucket = deps.topology.buckets.refined;
  const batchKey = rejectsBatchKeyOf(dataset, batch.map((r) => r.object.key));
  const current: RunSummary[] = [];
  await forEachLimited(batch, IN_FLIGHT, async (run) => {
    if ((await deps.objects.headObject(run.object.bucket, run.object.key))?.etag === run.object.etag) current.push(run);
  });
  // Earlier files holding rows of these objects (from the index), and which objects each must lose.
  const moved = new Map<string, Set<string>>();
  const indexed = new Map<string, string | undefined>();
  await forEachLimited(current, IN_FLIGHT, async (run) => {
    const earlier = await readText(deps, bucket, rejectsIndexKeyOf(dataset, run.object.key));
    indexed.set(run.runId, earlier);
    if (earlier === undefined || earlier === batchKey) return;
    const uris = moved.get(earlier) ?? new Set<string>();
    uris.add(`s3://${run.object.bucket}/${run.object.key}`);
    moved.set(earlier, uris);
  });
  const lines = current.flatMap((run) => byRun.get(run.runId) ?? []).sort();
  if (lines.length === 0) await deps.objects.deleteObject(bucket, batchKey);
  else await deps.objects.putObject(bucket, batchKey, `${lines.join('\n')}\n`);
  for (const [earlier, uris] of moved) await withoutObjects(deps, bucket, earlier, uris);
  await forEachLimited(current, IN_FLIGHT, async (run) => {
    const indexKey = rejectsIndexKeyOf(dataset, run.object.key);
    const has = (byRun.get(run.runId)?.length ?? 0) > 0;
    if (has && indexed.get(run.runId) !== batchKey) await deps.objects.putObject(bucket, indexKey, batchKey);
    else if (!has && indexed.get(run.runId) !== undefined) await deps.objects.deleteObject(bucket, indexKey);
  });
  // A concurrent batch of the same objects may have pointed their index at its own file since: the
  // rows then belong there, and this file lets them go (the last index write wins, once).
  const lost = new Set<string>();
  await forEachLimited(current.filter((run) => (byRun.get(run.runId)?.length ?? 0) > 0), IN_FLIGHT, async (run) => {
    if ((await readText(deps, bucket, rejectsIndexKeyOf(dataset, run.object.key))) !== batchKey) lost.add(`s3://${run.object.bucket}/${run.object.key}`);
  });
  if (lost.size > 0) await withoutObjects(deps, bucket, batchKey, lost);
}

/** Rewrites a rejects file without the rows of some raw objects (deleting it when none are left). */
async function withoutObjects(deps: KitDeps, bucket: string, key: string, uris: ReadonlySet<string>): Promise<void> {
  const kept = ((await readText(deps, bucket, key)) ?? '').split('\n').filter((line) => line !== '' && !uris.has(sourceOf(line)));
  if (kept.length === 0) await deps.objects.deleteObject(bucket, key);
  else await deps.objects.putObject(bucket, key, `${kept.join('\n')}\n`);
}

/** A reject line's source object (the rejects SQL's `source_object` column). */
function sourceOf(line: string): string {
  return RejectRowSchema.parse(JSON.parse(line)).source_object;
}

/** An object's text, or `undefined` when there is none. */
async function readText(deps: Pick<StageDeps, 'objects'>, bucket: string, key: string): Promise<string | undefined> {
  try {
    return (await deps.objects.getObject(bucket, key)).toString('utf8');
  } catch (error) {
    if (error instanceof NoSuchKeyError) return undefined;
    throw error;
  }
}

/** Runs the rejects UNLOAD for some runs and returns each run's rejected rows as JSON lines (without run_id). */
async function rejectedLines(deps: KitDeps, rejectsSql: SqlSource, runs: readonly RunSummary[]): Promise<Map<string, string[]>> {
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
