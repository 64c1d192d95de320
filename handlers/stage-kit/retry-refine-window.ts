import type { QueryExecution } from '../ports/query-engine';
import type { StageDeps } from '../stage-deps';
import { refineAttemptKey, refineStagingPrefix, type RefineJob } from './job-records';
import { DependencyError } from './stage-error';
import { queryTokenOf } from './naming';

/** The ports this module's calls use. */
type KitDeps = Pick<StageDeps, 'jobs' | 'query' | 'topology'>;

/** Runs of a refine window's query before a retryable failure fails its runs: the first and two retries. */
export const REFINE_ATTEMPTS = 3;

/**
 * Starts a refine window's query again after it failed for a reason Athena calls retryable (a SYSTEM
 * error: I/O, memory, an interrupted engine), as the same window (same job id, generation and runs,
 * so its tally and the refine's settlement are unchanged) unloading to a fresh staging prefix, with
 * its own request token. Recorded under its attempt key before the start and under the query id
 * after, like the first attempt.
 */
export async function retryRefineWindow(deps: KitDeps, job: RefineJob, failed: QueryExecution): Promise<RefineJob> {
  const attempt = (job.attempt ?? 1) + 1;
  const stagingPrefix = refineStagingPrefix(job.dataset, job.jobId, attempt);
  const sql = failed.Query.replace(`/${job.stagingPrefix}'`, `/${stagingPrefix}'`);
  if (sql === failed.Query) throw new DependencyError(`refine query ${failed.QueryExecutionId} does not unload to its job's staging prefix ${job.stagingPrefix}; it cannot be retried`, { retryable: false });
  const retried: RefineJob = { ...job, stagingPrefix, attempt };
  const key = refineAttemptKey(job.jobId, attempt);
  await deps.jobs.putJob('refine', key, retried);
  const { QueryExecutionId } = await deps.query.startQueryExecution({
    QueryString: sql,
    ...(failed.QueryExecutionContext.Database ? { QueryExecutionContext: { Database: failed.QueryExecutionContext.Database } } : {}),
    WorkGroup: failed.WorkGroup,
    ClientRequestToken: queryTokenOf(key),
  });
  await deps.jobs.putJob('refine', QueryExecutionId, retried);
  return retried;
}
