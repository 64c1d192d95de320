import { QueryState, runQuery } from '../ports/query-engine';
import type { StageDeps } from '../stage-deps';
import { partitionOfHour } from './hours';
import { parseJob, REFINE_TALLY, RefineTallySchema, type RefineJob, type RefineTally } from './job-records';
import { readQueryRows } from './read-query-rows';
import { databaseOf, stableHash } from './naming';
import { AccountingError, type WrittenRows } from './row-accounting';
import { DependencyError } from './stage-error';

/** The ports this module's calls use. */
type KitDeps = Pick<StageDeps, 'catalog' | 'jobs' | 'query' | 'runs' | 'topology'>;

const PARQUET = {
  InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', Parameters: { 'serialization.format': '1' } },
};

/**
 * Counts, from a refine query's staged Parquet (what it actually wrote, before any of it is swapped
 * in), the rows of each raw object: refined (rows whose `source_object` it is) and dropped as
 * duplicates (entries of `duplicate_objects`). The staged files are read through a transient catalog
 * table over the staging prefix, partitioned like the refined table with the window's partitions
 * registered (no engine has to read subfolders of an unpartitioned table), that names only those two
 * columns, so the query reads two small dictionary-encoded columns, not the rows. The table lives
 * in the raw database (which exists before any refine) and is dropped afterwards. A staged row that names no source object is an accounting error: the dataset's
 * refine SQL must output `source_object` and `duplicate_objects` (see sql/traffic/refine.sql).
 */
export async function tallyStaged(deps: KitDeps, dataset: string, jobId: string, stagingPrefix: string, partitions: { readonly keys: readonly string[]; readonly values: readonly (readonly string[])[] }): Promise<Map<string, WrittenRows>> {
  const database = databaseOf(deps.topology, 'raw');
  const name = `${dataset}_staged_${stableHash(jobId).slice(0, 16)}`;
  const location = `s3://${deps.topology.buckets.refined}/${stagingPrefix}`;
  const storage = { Columns: [{ Name: 'source_object', Type: 'string' }, { Name: 'duplicate_objects', Type: 'array<string>' }], Location: location, ...PARQUET };
  await deps.catalog.deleteTable(database, name).catch(() => undefined);
  await deps.catalog.createTable(database, {
    Name: name,
    TableType: 'EXTERNAL_TABLE',
    Parameters: { classification: 'parquet', EXTERNAL: 'TRUE', tributary_purpose: `row accounting of refine ${jobId}; dropped when counted` },
    PartitionKeys: partitions.keys.map((k) => ({ Name: k, Type: 'string' })),
    StorageDescriptor: storage,
  });
  try {
    for (let i = 0; i < partitions.values.length; i += 100) {
      await deps.catalog.batchCreatePartition(database, name, partitions.values.slice(i, i + 100).map((values) => ({
        Values: [...values],
        StorageDescriptor: { ...storage, Location: `${location}${partitions.keys.map((k, j) => `${k}=${values[j] ?? ''}`).join('/')}/` },
      })));
    }
    const table = `${database}.${name}`;
    const sql = [
      `SELECT 'refined' AS kind, source_object AS object, count(*) AS n FROM ${table} GROUP BY source_object`,
      'UNION ALL',
      `SELECT 'duplicate' AS kind, d.object AS object, count(*) AS n FROM ${table} CROSS JOIN UNNEST(duplicate_objects) AS d(object) GROUP BY d.object`,
    ].join('\n');
    const execution = await runQuery(deps.query, { QueryString: sql, WorkGroup: deps.topology.readWorkgroup, QueryExecutionContext: { Database: database } });
    if (execution.Status.State !== QueryState.Succeeded) {
      throw new DependencyError(`counting the rows refine ${jobId} staged failed: ${execution.Status.AthenaError?.ErrorMessage ?? execution.Status.StateChangeReason ?? execution.Status.State}`, { retryable: true });
    }
    const written = new Map<string, WrittenRows>();
    for (const row of await readQueryRows(deps.query, execution.QueryExecutionId)) {
      const n = Number(row.n ?? 0);
      if (row.object === undefined) {
        throw new AccountingError(`refine ${jobId} of ${dataset} wrote ${n} ${row.kind === 'refined' ? 'rows' : 'duplicate entries'} that name no raw object: the dataset's refine SQL must output source_object ("$path") and duplicate_objects (the objects of the copies it drops), as sql/traffic/refine.sql does`);
      }
      const before = written.get(row.object) ?? { refined: 0, duplicates: 0 };
      written.set(row.object, row.kind === 'refined' ? { ...before, refined: before.refined + n } : { ...before, duplicates: before.duplicates + n });
    }
    return written;
  } finally {
    await deps.catalog.deleteTable(database, name).catch(() => undefined);
  }
}

/**
 * A refine window's counts, once: the tally recorded by an earlier attempt (whose swap may have moved
 * the staged files out since), else counted now from the staged output (before any of it moves) for
 * the objects of the refine's runs, with the rows the window wrote, and recorded before the caller swaps.
 */
export async function tallyOnce(deps: KitDeps, job: RefineJob, keys: readonly string[], queryExecutionId: string): Promise<RefineTally> {
  const recorded = await deps.jobs.getJob(REFINE_TALLY, job.jobId);
  if (recorded) return parseJob(RefineTallySchema, recorded, `tally of refine window ${job.jobId}`);
  const objects = new Set((await deps.runs.getRunSummaries(job.runIds)).map((r) => `s3://${r.object.bucket}/${r.object.key}`));
  const values = job.hours.map((h) => { const p = partitionOfHour(h, keys); return keys.map((k) => p[k] ?? ''); });
  const written = await tallyStaged(deps, job.dataset, job.jobId, job.stagingPrefix, { keys, values });
  // The rows the query wrote, from its own staged output: Athena documents UpdateCount for CTAS and
  // INSERT INTO, not for the UNLOAD a refine runs. Every staged row names its object, so this is all of them.
  const tally: RefineTally = {
    queryExecutionId,
    written: [...written].filter(([o]) => objects.has(o)).map(([o, w]): [string, number, number] => [o, w.refined, w.duplicates]),
    rows: [...written.values()].reduce((n, w) => n + w.refined, 0),
  };
  await deps.jobs.putJob(REFINE_TALLY, job.jobId, tally);
  return tally;
}
