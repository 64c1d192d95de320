import type { Dataset } from '../ports/dataset-store';
import { sqlLiteral } from '../sql/bind-sql';
import type { StageDeps } from '../stage-deps';
import { bindDatasetStatement, sqlOf } from './dataset-sql';
import type { RefineJob } from './job-records';
import { queryTokenOf } from './naming';
import { windowParams, type RefineWindow } from './refine-plan';

/** The ports this module's calls use. */
type KitDeps = Pick<StageDeps, 'jobs' | 'query' | 'topology'>;

/**
 * Starts one refine window's query, for a refine and a backfill alike: the dataset's refine SQL for
 * the window and the raw objects it reads (none left: a URI no object has, so the partitions come
 * out empty), unloaded to the job's staging prefix as Parquet partitioned by the dataset's keys. The
 * job is recorded under its job id before the start and under the query id after, so a crash in
 * between leaves it findable from the query (`refineJobIdOfQuery`). Returns the query id.
 */
export async function startRefineWindow(deps: KitDeps, dataset: Dataset, window: RefineWindow, objects: readonly string[], job: RefineJob): Promise<string> {
  const { manifest } = dataset;
  const body = bindDatasetStatement(sqlOf(dataset, 'refineSql'), deps.topology, windowParams(window, manifest, objects.length > 0 ? objects : [`s3://${deps.topology.buckets.raw}/`]));
  const keys = manifest.partitioning.keys.map((k) => sqlLiteral(k)).join(', ');
  const sql = `UNLOAD (${body}\n) TO ${sqlLiteral(`s3://${deps.topology.buckets.refined}/${job.stagingPrefix}`)} WITH (format = 'PARQUET', compression = 'SNAPPY', partitioned_by = ARRAY[${keys}])`;
  await deps.jobs.putJob('refine', job.jobId, job);
  const { QueryExecutionId } = await deps.query.startQueryExecution({
    QueryString: sql,
    QueryExecutionContext: { Database: `${deps.topology.names.resourcePrefix}_raw` },
    WorkGroup: deps.topology.names.athenaWorkgroup,
    ClientRequestToken: queryTokenOf(job.jobId),
  });
  await deps.jobs.putJob('refine', QueryExecutionId, job);
  return QueryExecutionId;
}
