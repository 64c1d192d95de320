import { AthenaQueryStateChangeEventSchema } from '../contracts/aws-events';
import { parseContract } from '../contracts/contract-violation-error';
import { StageId } from '../events/stage-ids';
import { parseJob, REFINE_STAGED, REFINE_TALLY, refineJobIdOfQuery, RefineJobSchema, RefineStagedSchema, RefineTallySchema, type RefineJob, type RefineTally } from './stage-kit/job-records';
import { QueryState } from './ports/query-engine';
import { partitionOfHour, partitionPath } from './stage-kit/hours';
import { reportFailure } from './stage-kit/report-failure';
import { queryFailedError, sqlOf } from './stage-kit/dataset-sql';
import { runStage } from './stage-kit/run-stage';
import { DependencyError, PoisonInputError } from './stage-kit/stage-error';
import { stageLogger } from './stage-kit/stage-logger';
import { swapPartitions } from './stage-kit/swap-partitions';
import { markStageSpan } from './stage-kit/mark-stage-span';
import { REFINE_ATTEMPTS, retryRefineWindow } from './stage-kit/retry-refine-window';
import { settleRefine, windowTallies } from './stage-kit/settle-refine';
import { tallyOnce, tallyWindowsOnce } from './stage-kit/tally-staged';
import { forEachLimited } from './stage-kit/for-each-limited';
import type { DatasetManifest } from '../contracts/dataset-manifest';
import { AccountingError } from './stage-kit/row-accounting';
import { declareNeeds, type DepsOf } from './stage-needs';
import type { JobRecord } from './ports/job-store';

/** The ports and access this stage needs: all it is handed, and what its role is granted on AWS. */
export const needs = declareNeeds({ zones: { raw: 'read', refined: 'write' }, catalog: 'write', query: 'read', runs: true, jobs: true, idempotency: true, publisher: true });
type Deps = DepsOf<typeof needs>;

const logger = stageLogger(StageId.AnnounceRefined);
const STAGE = StageId.AnnounceRefined;

/**
 * Finishes a refine query when Athena reports its end: counts the rows of each raw object it staged,
 * swaps the staged partitions into the refined table (whole partitions, newest writer wins) and
 * records its tally; the window that completes its refine's tallies settles the refine (row
 * accounting, run state and lineage, `RefinedWritten`; see settle-refine.ts). Every query in the
 * refine workgroup is a refine, so an id with no job yet (the event outran the starter's record) is
 * retried rather than ignored. Idempotent on the query id.
 */
export async function announceRefined(input: { queryExecutionId: string; state: string }, deps: Deps): Promise<void> {
  const startedAt = deps.clock().toISOString();
  const record = (await deps.jobs.getJob('refine', input.queryExecutionId)) ?? (await jobOfQueryText(deps, input.queryExecutionId));
  if (!record) throw new DependencyError(`no refine job recorded for query ${input.queryExecutionId} yet`, { retryable: true });
  const job = parseJob(RefineJobSchema, record, `refine job of query ${input.queryExecutionId}`);
  const found = await deps.datasets.getDataset(job.dataset);
  if (!found) throw new PoisonInputError(`unknown dataset ${job.dataset}`);
  const keys = found.manifest.partitioning.keys;
  if (input.state !== QueryState.Succeeded) {
    const execution = await deps.query.getQueryExecution(input.queryExecutionId);
    // A retryable engine failure (Athena's SYSTEM errors) runs the window again, a few times; a
    // mistake in the query, or the last attempt, fails the runs.
    if (input.state === QueryState.Failed && execution.Status.AthenaError?.Retryable === true && (job.attempt ?? 1) < REFINE_ATTEMPTS) {
      const retried = await retryRefineWindow(deps, job, execution);
      logger.warn('refine query failed with a retryable error; running it again', { queryExecutionId: input.queryExecutionId, attempt: retried.attempt, reason: execution.Status.AthenaError.ErrorMessage });
      return;
    }
    await reportFailure(deps, { stage: StageId.Refine, dataset: job.dataset, zone: 'refined', runIds: job.runIds, ...(job.startedAt ? { startedAt: job.startedAt } : {}) }, queryFailedError(execution, sqlOf(found, 'refineSql'), `refine query ${input.queryExecutionId}${(job.attempt ?? 1) > 1 ? ` (attempt ${job.attempt ?? 1} of ${REFINE_ATTEMPTS})` : ''}`, { retryable: false }));
    return;
  }
  if (job.windowJobIds.length > 1) {
    await finishWindows(deps, found.manifest, job, input.queryExecutionId);
    return;
  }
  const bucket = deps.topology.buckets.refined;
  const swaps = swapsOf(job, keys);
  const started = Date.now();
  const failed = { stage: StageId.Refine, dataset: job.dataset, zone: 'refined' as const, runIds: job.runIds, ...(job.startedAt ? { startedAt: job.startedAt } : {}) };
  const counted = await tallyOnce(deps, job, keys, input.queryExecutionId).catch(async (err: unknown) => {
    if (!(err instanceof AccountingError)) throw err;
    await reportFailure(deps, failed, err);
    return undefined;
  });
  if (!counted) return;
  const tallyMs = Date.now() - started;
  const swapped = await swapPartitions(deps, bucket, job.dataset, job.jobId, job.generation, swaps);
  await registerPartitions(deps, job.dataset, swaps.filter((s) => swapped.includes(s.path)).map((s) => s.path));
  const tally: RefineTally = { ...counted, swappedHours: swaps.filter((s) => swapped.includes(s.path)).map((s) => s.hour) };
  await deps.jobs.putJob(REFINE_TALLY, job.jobId, tally);
  // The refine settles (accounting, run state, RefinedWritten) when its last window is in.
  const tallies = await windowTallies(deps, job, tally);
  if (!tallies) {
    logger.info('refine window tallied; waiting for its other windows', { queryExecutionId: input.queryExecutionId, windows: job.windowJobIds.length });
    return;
  }
  // Two windows finishing at once may both find every tally in: the refine settles once.
  const settleOnce = deps.idempotency.makeIdempotent((_: { windows: string[] }) => settleRefine(deps, found.manifest, job, tallies), { name: 'settle-refine', keyPath: 'windows' });
  await settleOnce({ windows: job.windowJobIds });
  await markStageSpan(deps.runs, logger, { stage: STAGE, runIds: job.runIds, startedAt, endedAt: deps.clock().toISOString() });
  logger.info('refine settled', { queryExecutionId: input.queryExecutionId, partitions: swapped.length, rows: tally.rows, tallyMs, ms: Date.now() - started });
}

/**
 * One swap per partition path of a window: a job's partition starts are of the dataset's grain
 * (refine-plan), and a job planned by hours for a day or month dataset must not swap one staged
 * folder many times over.
 */
function swapsOf(job: RefineJob, keys: readonly string[]): { hour: number; path: string; stagedPrefix: string; livePrefix: string }[] {
  const byPath = new Map<string, number>();
  for (const hour of job.hours) {
    const path = partitionPath(partitionOfHour(hour, keys), keys);
    if (!byPath.has(path)) byPath.set(path, hour);
  }
  return [...byPath].map(([path, hour]) => ({ hour, path, stagedPrefix: `${job.stagingPrefix}${path}/`, livePrefix: `${job.dataset}/${path}/` }));
}

/** Windows of a refine counted by one tally query: a refine of 15 windows runs 4 tallies, not 15, and the first groups swap in while later windows' queries still run. */
export const WINDOWS_PER_TALLY = 4;

/** The windows (job ids, in planned order) counted with a window: its group of `WINDOWS_PER_TALLY` consecutive windows. */
export function tallyGroupOf(windowJobIds: readonly string[], jobId: string): string[] {
  const at = Math.max(0, windowJobIds.indexOf(jobId));
  const from = at - (at % WINDOWS_PER_TALLY);
  return windowJobIds.slice(from, from + WINDOWS_PER_TALLY);
}

/**
 * A window of a refine of several: recorded as staged; the window of its tally group
 * (`tallyGroupOf`) staged last (it finds every other window of the group staged) counts the group's
 * staged rows in one query (not a tally query per window, each waiting behind the other windows'
 * queries), swaps each window's partitions in and records its tally, once however many windows find
 * the group staged at the same time; the group that completes the refine's tallies settles it.
 * Windows swapped by an earlier version (a tally with its swapped partitions) count as done.
 */
async function finishWindows(deps: Deps, manifest: DatasetManifest, job: RefineJob, queryExecutionId: string): Promise<void> {
  await deps.jobs.putJob(REFINE_STAGED, job.jobId, { job, queryExecutionId });
  const group = tallyGroupOf(job.windowJobIds, job.jobId);
  const windows: ({ job: RefineJob; queryExecutionId: string } | RefineTally)[] = [];
  for (const id of group) {
    const staged = id === job.jobId ? { job, queryExecutionId } : await deps.jobs.getJob(REFINE_STAGED, id).then((r) => (r ? parseJob(RefineStagedSchema, r, `staged refine window ${id}`) : undefined));
    const done = staged ? undefined : await deps.jobs.getJob(REFINE_TALLY, id).then((r) => (r ? parseJob(RefineTallySchema, r, `tally of refine window ${id}`) : undefined));
    if (staged) windows.push(staged);
    else if (done?.swappedHours !== undefined) windows.push(done);
    else {
      logger.info('refine window staged; waiting for the other windows of its tally', { queryExecutionId, windows: job.windowJobIds.length });
      return;
    }
  }
  const once = deps.idempotency.makeIdempotent((_: { windows: string[] }) => swapWindowsAndSettle(deps, manifest, job, windows), { name: 'finish-refine-windows', keyPath: 'windows' });
  await once({ windows: group });
}

/**
 * Counts a group's staged windows in one query, swaps each one's partitions in and records its
 * tally; settles the refine when every window of it has tallied.
 */
async function swapWindowsAndSettle(deps: Deps, manifest: DatasetManifest, job: RefineJob, windows: readonly ({ job: RefineJob; queryExecutionId: string } | RefineTally)[]): Promise<void> {
  const keys = manifest.partitioning.keys;
  const started = Date.now();
  const staged = windows.filter((w): w is { job: RefineJob; queryExecutionId: string } => 'job' in w);
  const failed = { stage: StageId.Refine, dataset: job.dataset, zone: 'refined' as const, runIds: job.runIds, ...(job.startedAt ? { startedAt: job.startedAt } : {}) };
  const counted = await tallyWindowsOnce(deps, staged, keys).catch(async (err: unknown) => {
    if (!(err instanceof AccountingError)) throw err;
    await reportFailure(deps, failed, err);
    return undefined;
  });
  if (!counted) return;
  const tallyMs = Date.now() - started;
  let own: RefineTally | undefined;
  await forEachLimited(staged, 2, async ({ job: w }, i) => {
    const swaps = swapsOf(w, keys);
    const swapped = await swapPartitions(deps, deps.topology.buckets.refined, w.dataset, w.jobId, w.generation, swaps);
    await registerPartitions(deps, w.dataset, swaps.filter((s) => swapped.includes(s.path)).map((s) => s.path));
    const count = counted[i];
    if (!count) return;
    const tally: RefineTally = { ...count, swappedHours: swaps.filter((s) => swapped.includes(s.path)).map((s) => s.hour) };
    await deps.jobs.putJob(REFINE_TALLY, w.jobId, tally);
    if (w.jobId === job.jobId) own = tally;
  });
  const tallies = own ? await windowTallies(deps, job, own) : undefined;
  if (!tallies) {
    logger.info('refine windows tallied in one query and swapped; waiting for its other windows', { windows: windows.length, tallyMs, ms: Date.now() - started });
    return;
  }
  const settleOnce = deps.idempotency.makeIdempotent((_: { windows: string[] }) => settleRefine(deps, manifest, job, tallies), { name: 'settle-refine', keyPath: 'windows' });
  await settleOnce({ windows: job.windowJobIds });
  logger.info('refine windows tallied in one query, swapped and settled', { windows: windows.length, tallyMs, ms: Date.now() - started });
}

/** The job of a query whose id was never recorded (the starter crashed after starting it), from its text. */
async function jobOfQueryText(deps: Deps, queryExecutionId: string): Promise<JobRecord | undefined> {
  const jobId = refineJobIdOfQuery((await deps.query.getQueryExecution(queryExecutionId)).Query);
  return jobId === undefined ? undefined : deps.jobs.getJob('refine', jobId);
}

/**
 * Registers swapped partitions in the refined table's catalog entry, as Athena's INSERT INTO does,
 * so readers (forecast, views) see them before the refined crawl ends. Before the first crawl there
 * is no table yet: the crawl creates it with every partition.
 */
async function registerPartitions(deps: Deps, dataset: string, paths: readonly string[]): Promise<void> {
  const database = `${deps.topology.names.resourcePrefix}_refined`;
  const table = await deps.catalog.getTable(database, dataset);
  if (!table || paths.length === 0) return;
  for (let i = 0; i < paths.length; i += 100) {
    const inputs = paths.slice(i, i + 100).map((p) => ({
      Values: p.split('/').map((kv) => kv.slice(kv.indexOf('=') + 1)),
      StorageDescriptor: { ...table.StorageDescriptor, Location: `s3://${deps.topology.buckets.refined}/${dataset}/${p}/` },
    }));
    await deps.catalog.batchCreatePartition(database, dataset, inputs);
  }
}

/** The Lambda-shaped entry: parses the Athena state change and finishes the refine it belongs to. */
export async function handler(event: unknown, deps: Deps): Promise<void> {
  await runStage(deps, () => ({ stage: STAGE }), async () => {
    const parsed = parseContract(AthenaQueryStateChangeEventSchema, event, 'Athena Query State Change event');
    const input = { queryExecutionId: parsed.detail.queryExecutionId, state: parsed.detail.currentState };
    const once = deps.idempotency.makeIdempotent((i: typeof input) => announceRefined(i, deps), { name: STAGE, keyPath: '[queryExecutionId, state]' });
    await once(input);
  });
}
