import { parseContract } from '../contracts/contract-violation-error';
import { BackfillRequestedEventSchema, type BackfillRequestedDetail } from '../contracts/domain-events';
import { StageId } from '../events/stage-ids';
import { forecast } from './forecast';
import { BACKFILL_JOB, type BackfillJob } from './stage-kit/backfill-progress';
import { sqlOf } from './stage-kit/dataset-sql';
import { grainNext, partitionsBetween, partitionWindows } from './stage-kit/grain';
import { refineStagingPrefix, type RefineJob } from './stage-kit/job-records';
import { stableHash } from './stage-kit/naming';
import { MAX_PARTITIONS_PER_QUERY, windowsWithObjects } from './stage-kit/refine-plan';
import { runStage } from './stage-kit/run-stage';
import { PoisonInputError } from './stage-kit/stage-error';
import { stageLogger } from './stage-kit/stage-logger';
import { writeRejects } from './stage-kit/write-rejects';
import { startRefineWindow } from './stage-kit/start-refine-window';
import { declareNeeds, type DepsOf } from './stage-needs';

/** The ports and access this stage needs: all it is handed, and what its role is granted on AWS. */
export const needs = declareNeeds({ zones: { raw: 'read', refined: 'write', forecast: 'write' }, catalog: 'read', query: 'read', transform: true, runs: true, jobs: true, idempotency: true, publisher: true });
type Deps = DepsOf<typeof needs>;

const logger = stageLogger(StageId.Backfill);
const STAGE = StageId.Backfill;

/**
 * Runs a backfill (`BackfillRequested`) through the same rules as a landing: every partition of the
 * dataset's grain in [from, to) is refined again with the dataset's current refine SQL from every raw
 * object overlapping it (run state's index), ≤100 partitions per query, as refine does; announce-refined
 * swaps them in whole (newest wins) and announces one `RefinedWritten` naming the backfill, so the
 * refined crawl, views and forecast follow. The rejects of the objects with readings in the window are
 * rebuilt with the current rejects SQL. No run is touched: the landings were accounted when they
 * were refined. With `forecastOnly`, only the forecast of the window's origins runs again. Partitions
 * outside the window are never written. Idempotent on the backfill id; repeating a window is a new
 * backfill that writes the same tables.
 */
export async function backfill(detail: BackfillRequestedDetail, deps: Deps): Promise<BackfillJob> {
  const found = await deps.datasets.getDataset(detail.dataset);
  if (!found) throw new PoisonInputError(`backfill ${detail.backfillId}: unknown dataset ${detail.dataset}`);
  const { manifest } = found;
  const grain = manifest.partitioning.by;
  const partitions = partitionsBetween(Date.parse(detail.from), Date.parse(detail.to) - 1, grain);
  const base = { dataset: detail.dataset, from: detail.from, to: detail.to, forecastOnly: detail.forecastOnly, partitions: partitions.length };
  if (detail.forecastOnly) {
    if (!manifest.forecast) throw new PoisonInputError(`backfill ${detail.backfillId}: dataset ${detail.dataset} has no forecast (its manifest sets none), so --forecast-only has nothing to run`);
    const job: BackfillJob = { ...base, windows: [] };
    await deps.jobs.putJob(BACKFILL_JOB, detail.backfillId, job);
    await forecast({ dataset: detail.dataset, hours: partitions, runIds: [], sources: [detail.backfillId], backfillId: detail.backfillId }, deps);
    return job;
  }
  // The rejects of every object with readings in the window are rebuilt with the current rejects SQL
  // (one file per object, replaced whole: repeating the backfill writes the same files).
  if (found.rejectsSql !== undefined && partitions.length > 0) {
    const overlapping = await deps.runs.findObjectsOverlapping(detail.dataset, { from: new Date(partitions[0] ?? 0).toISOString(), to: new Date(Date.parse(detail.to) - 1).toISOString() });
    const runs = await deps.runs.getRunSummaries([...new Set(overlapping.map((o) => o.runId))].sort());
    const rejected = await writeRejects(deps, detail.dataset, sqlOf(found, 'rejectsSql'), runs);
    logger.info('backfill rebuilt the rejects of the window\'s objects', { backfillId: detail.backfillId, objects: runs.length, rejectedRows: [...rejected.values()].reduce((a, b) => a + b, 0) });
  }
  const startedAt = deps.clock().toISOString();
  // Taken before the objects are looked up, as refine does: a later refine or backfill wins the swap.
  const generation = deps.clock().toISOString();
  const windows = partitionWindows(partitions, MAX_PARTITIONS_PER_QUERY, grain);
  const planned = await windowsWithObjects(windows, manifest, async (span) => (await deps.runs.findObjectsOverlapping(detail.dataset, span)).map((o) => `s3://${o.object.bucket}/${o.object.key}`));
  const jobIdOf = (start: number, end: number, objects: readonly string[]): string => `refine-${stableHash(detail.backfillId, detail.dataset, String(start), String(end), ...objects)}`;
  const windowJobIds = planned.map(({ window, objects }) => jobIdOf(window.start, window.end, objects));
  const job: BackfillJob = { ...base, windows: planned.map(({ window, objects }) => [jobIdOf(window.start, window.end, objects), window.hours.length]) };
  await deps.jobs.putJob(BACKFILL_JOB, detail.backfillId, job);
  for (const { window, objects } of planned) {
    const jobId = jobIdOf(window.start, window.end, objects);
    const stagingPrefix = refineStagingPrefix(detail.dataset, jobId);
    const refineJob: RefineJob = {
      dataset: detail.dataset, jobId, stagingPrefix, hours: [...window.hours], runIds: [], generation: `${generation}#${String(objects.length).padStart(8, '0')}`,
      fedHours: [], startedAt, windowJobIds, rowsRead: [], rowsRejected: [], backfillId: detail.backfillId,
    };
    const QueryExecutionId = await startRefineWindow(deps, found, window, objects, refineJob);
    logger.info('backfill window started', { backfillId: detail.backfillId, queryExecutionId: QueryExecutionId, partitions: window.hours.length, objects: objects.length, until: new Date(grainNext(window.hours[window.hours.length - 1] ?? window.start, grain)).toISOString() });
  }
  return job;
}

/** The Lambda-shaped entry: a `BackfillRequested` event. */
export async function handler(event: unknown, deps: Deps): Promise<void> {
  let dataset: string | undefined;
  await runStage(deps, () => ({ stage: STAGE, ...(dataset !== undefined ? { dataset, zone: 'refined' as const } : {}) }), async () => {
    const parsed = parseContract(BackfillRequestedEventSchema, event, 'BackfillRequested event');
    dataset = parsed.detail.dataset;
    const once = deps.idempotency.makeIdempotent((d: BackfillRequestedDetail) => backfill(d, deps), { name: STAGE, keyPath: 'backfillId' });
    await once(parsed.detail);
  });
}
