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

/** One refine window's staged output to count: its job id, staging prefix and the partitions it wrote (values of the keys). */
export interface StagedWindow {
  readonly jobId: string;
  readonly stagingPrefix: string;
  readonly values: readonly (readonly string[])[];
}

/**
 * Counts, from refine queries' staged Parquet (what they actually wrote, before any of it is swapped
 * in), the rows of each raw object per window: refined (rows whose `source_object` it is) and dropped
 * as duplicates (entries of `duplicate_objects`). The staged files are read through one transient
 * catalog table, partitioned like the refined table with every window's partitions registered at
 * their window's staging prefix (no engine has to read subfolders of an unpartitioned table), that
 * names only those two columns, so one query reads two small dictionary-encoded columns of all the
 * windows, not the rows, and its groups by partition tell the windows apart (a refine's windows never
 * share a partition). The table lives in the raw database (which exists before any refine) and is
 * dropped afterwards. A staged row that names no source object is an accounting error: the dataset's
 * refine SQL must output `source_object` and `duplicate_objects` (see sql/traffic/refine.sql).
 */
export async function tallyStagedWindows(deps: KitDeps, dataset: string, keys: readonly string[], windows: readonly StagedWindow[]): Promise<Map<string, Map<string, WrittenRows>>> {
  const database = databaseOf(deps.topology, 'raw');
  const ids = windows.map((w) => w.jobId);
  const name = `${dataset}_staged_${stableHash(...ids).slice(0, 16)}`;
  const first = windows[0]?.stagingPrefix ?? `_staging/${dataset}/`;
  const storage = { Columns: [{ Name: 'source_object', Type: 'string' }, { Name: 'duplicate_objects', Type: 'array<string>' }], Location: `s3://${deps.topology.buckets.refined}/${first}`, ...PARQUET };
  const windowOf = new Map<string, string>();
  const partitions = windows.flatMap((w) => w.values.map((values) => {
    windowOf.set(JSON.stringify(values), w.jobId);
    return { Values: [...values], StorageDescriptor: { ...storage, Location: `s3://${deps.topology.buckets.refined}/${w.stagingPrefix}${keys.map((k, j) => `${k}=${values[j] ?? ''}`).join('/')}/` } };
  }));
  await deps.catalog.deleteTable(database, name).catch(() => undefined);
  await deps.catalog.createTable(database, {
    Name: name,
    TableType: 'EXTERNAL_TABLE',
    Parameters: { classification: 'parquet', EXTERNAL: 'TRUE', tributary_purpose: `row accounting of refine windows ${ids.join(', ').slice(0, 200)}; dropped when counted` },
    PartitionKeys: keys.map((k) => ({ Name: k, Type: 'string' })),
    StorageDescriptor: storage,
  });
  try {
    for (let i = 0; i < partitions.length; i += 100) await deps.catalog.batchCreatePartition(database, name, partitions.slice(i, i + 100));
    const table = `${database}.${name}`;
    const by = keys.map((k) => `"${k}"`).join(', ');
    const sql = [
      `SELECT 'refined' AS kind, source_object AS object, ${by}, count(*) AS n FROM ${table} GROUP BY source_object, ${by}`,
      'UNION ALL',
      `SELECT 'duplicate' AS kind, d.object AS object, ${by}, count(*) AS n FROM ${table} CROSS JOIN UNNEST(duplicate_objects) AS d(object) GROUP BY d.object, ${by}`,
    ].join('\n');
    const execution = await runQuery(deps.query, { QueryString: sql, WorkGroup: deps.topology.readWorkgroup, QueryExecutionContext: { Database: database } });
    if (execution.Status.State !== QueryState.Succeeded) {
      throw new DependencyError(`counting the rows refine ${ids.join(', ').slice(0, 200)} staged failed: ${execution.Status.AthenaError?.ErrorMessage ?? execution.Status.StateChangeReason ?? execution.Status.State}`, { retryable: true });
    }
    const written = new Map(ids.map((id) => [id, new Map<string, WrittenRows>()]));
    for (const row of await readQueryRows(deps.query, execution.QueryExecutionId)) {
      const n = Number(row.n ?? 0);
      const jobId = windowOf.get(JSON.stringify(keys.map((k) => row[k] ?? ''))) ?? ids[0] ?? '';
      if (row.object === undefined) {
        throw new AccountingError(`refine ${jobId} of ${dataset} wrote ${n} ${row.kind === 'refined' ? 'rows' : 'duplicate entries'} that name no raw object: the dataset's refine SQL must output source_object ("$path") and duplicate_objects (the objects of the copies it drops), as sql/traffic/refine.sql does`);
      }
      const ofWindow = written.get(jobId) ?? new Map<string, WrittenRows>();
      written.set(jobId, ofWindow);
      const before = ofWindow.get(row.object) ?? { refined: 0, duplicates: 0 };
      ofWindow.set(row.object, row.kind === 'refined' ? { ...before, refined: before.refined + n } : { ...before, duplicates: before.duplicates + n });
    }
    return written;
  } finally {
    await deps.catalog.deleteTable(database, name).catch(() => undefined);
  }
}

/** One window's counts (`tallyStagedWindows` of that window alone). */
export async function tallyStaged(deps: KitDeps, dataset: string, jobId: string, stagingPrefix: string, partitions: { readonly keys: readonly string[]; readonly values: readonly (readonly string[])[] }): Promise<Map<string, WrittenRows>> {
  const written = await tallyStagedWindows(deps, dataset, partitions.keys, [{ jobId, stagingPrefix, values: partitions.values }]);
  return written.get(jobId) ?? new Map<string, WrittenRows>();
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

/**
 * The counts of several windows of one refine, all staged, once: the tallies recorded earlier when
 * every window has one (a retry after a crash mid-swap, when staging is partly moved out), else
 * counted now in one query over every window's staged output (before any of it moves) and recorded
 * per window before the caller swaps. A window counted alone by an earlier version keeps its tally.
 */
export async function tallyWindowsOnce(deps: KitDeps, windows: readonly { job: RefineJob; queryExecutionId: string }[], keys: readonly string[]): Promise<RefineTally[]> {
  const recorded = await Promise.all(windows.map(async ({ job }) => {
    const record = await deps.jobs.getJob(REFINE_TALLY, job.jobId);
    return record ? parseJob(RefineTallySchema, record, `tally of refine window ${job.jobId}`) : undefined;
  }));
  const missing = windows.filter((_, i) => recorded[i] === undefined);
  if (missing.length === 0) return recorded.filter((t): t is RefineTally => t !== undefined);
  const first = windows[0]?.job;
  const objects = new Set((await deps.runs.getRunSummaries(first?.runIds ?? [])).map((r) => `s3://${r.object.bucket}/${r.object.key}`));
  const staged = missing.map(({ job }) => ({ jobId: job.jobId, stagingPrefix: job.stagingPrefix, values: job.hours.map((h) => { const p = partitionOfHour(h, keys); return keys.map((k) => p[k] ?? ''); }) }));
  const written = await tallyStagedWindows(deps, first?.dataset ?? '', keys, staged);
  return Promise.all(windows.map(async ({ job, queryExecutionId }, i) => {
    const earlier = recorded[i];
    if (earlier) return earlier;
    const ofWindow = written.get(job.jobId) ?? new Map<string, WrittenRows>();
    const tally: RefineTally = {
      queryExecutionId,
      written: [...ofWindow].filter(([o]) => objects.has(o)).map(([o, w]): [string, number, number] => [o, w.refined, w.duplicates]),
      rows: [...ofWindow.values()].reduce((n, w) => n + w.refined, 0),
    };
    await deps.jobs.putJob(REFINE_TALLY, job.jobId, tally);
    return tally;
  }));
}
