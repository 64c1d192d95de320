import { parseContract } from '../contracts/contract-violation-error';
import { TableCrawledEventSchema } from '../contracts/domain-events';
import { StageId } from '../events/stage-ids';
import { sqlOf } from './stage-kit/dataset-sql';
import { stableHash } from './stage-kit/naming';
import { writeRejects } from './stage-kit/write-rejects';
import { startRefineWindow } from './stage-kit/start-refine-window';
import { refineStagingPrefix, type RefineJob } from './stage-kit/job-records';
import { fedHourSpans, MAX_PARTITIONS_PER_QUERY, MAX_WINDOW_DAYS, planRefine, sparseWindows, windowsWithObjects, type RefineWindow } from './stage-kit/refine-plan';
import { partitionsWithRows } from './stage-kit/partitions-with-rows';
import { PoisonInputError } from './stage-kit/stage-error';
import { runStage } from './stage-kit/run-stage';
import { countRowsRead } from './stage-kit/count-rows-read';
import { AccountingError, accountingMessage, unaccounted } from './stage-kit/row-accounting';
import { publishOrRetry } from './stage-kit/publish-or-retry';
import { stageFailedDetail } from './stage-kit/report-failure';
import { DomainDetailType } from '../contracts/domain-events';
import { stageLogger } from './stage-kit/stage-logger';
import { StageStatus, type RunSummary } from './ports/run-store';
import { declareNeeds, type DepsOf } from './stage-needs';
import type { DatasetManifest } from '../contracts/dataset-manifest';

/** The ports and access this stage needs: all it is handed, and what its role is granted on AWS. */
export const needs = declareNeeds({ zones: { raw: 'read', refined: 'write' }, query: 'read', runs: true, jobs: true, idempotency: true, publisher: true });
type Deps = DepsOf<typeof needs>;

const logger = stageLogger(StageId.Refine);
const DAY_MS = 86_400_000;
const STAGE = StageId.Refine;

/**
 * Refines the event-time partitions touched by the runs a raw crawl covered, in partitions of the
 * dataset's grain (hour, day or month; sparse data by the partitions that hold rows): each window of at most
 * 100 partitions becomes one Athena query (the dataset's refine SQL, wrapped in an UNLOAD to a staging
 * prefix) in the refine workgroup, reading the raw objects whose event-time range overlaps the window
 * (run state's index). First the rows of each run's object are counted and its invalid rows go to the
 * rejects table; every window's job carries those counts and the ids of its sibling windows, and
 * announce-refined swaps the staged partitions in when a query's state-change event arrives and
 * settles the refine's row accounting when the last window is in. Idempotent on (dataset, runs).
 */
export async function refine(input: { dataset: string; runIds: string[] }, deps: Deps): Promise<void> {
  const found = await deps.datasets.getDataset(input.dataset);
  if (!found) throw new PoisonInputError(`unknown dataset ${input.dataset}`);
  const { manifest } = found;
  const started = Date.now();
  // The refine starts on every run now. The start goes to the runs' timelines in batched writes; each
  // run's state changes once, with the outcome (which carries this start), not twice.
  const startedAt = deps.clock().toISOString();
  await deps.runs.recordStarts(input.runIds.map((runId) => ({ runId, stage: STAGE, at: startedAt })));
  const runs = await deps.runs.getRunSummaries(input.runIds);
  const plan = planRefine(manifest, runs);
  const { withoutEvents } = plan;
  // Sparse (fewer rows than partitions spanned, so some hold none): plan by the partitions with rows.
  const rows = runs.every((r) => r.rowsAtLanding !== undefined) ? runs.reduce((n, r) => n + (r.rowsAtLanding ?? 0), 0) : undefined;
  const sparse = plan.partitions > MAX_PARTITIONS_PER_QUERY && (rows === undefined || rows < plan.partitions);
  const windows = sparse ? await withRowsOnly(deps, manifest, plan.windows) : plan.windows;
  const uriOf = new Map(runs.map((r) => [r.runId, `s3://${r.object.bucket}/${r.object.key}`]));
  // The left side of each object's row accounting: the rows counted when it landed, else (formats
  // not counted at landing) as the engine reads them, with no dataset SQL.
  const uncounted = runs.filter((r) => r.rowsAtLanding === undefined).map((r) => uriOf.get(r.runId) ?? '');
  const read = new Map([...(uncounted.length > 0 ? await countRowsRead(deps, input.dataset, uncounted) : []), ...runs.flatMap((r): [string, number][] => (r.rowsAtLanding === undefined ? [] : [[uriOf.get(r.runId) ?? '', r.rowsAtLanding]]))]);
  // Each query reads only the raw objects whose event-time range overlaps its window (plus the
  // lookback); with none left (all quarantined), a URI no object has, so the partitions come out empty.
  // The generation (which orders swaps: the newest wins) is taken before the objects are looked up, so
  // a newer job always looked up later and reads every object an older one read, and more.
  // The rejects query runs while the objects are looked up (one run-state query per day of a window's
  // span: a daily dataset of 4 years makes 1,461), not before: the two are independent.
  const generation = deps.clock().toISOString();
  const [rejects, planned] = await Promise.all([
    found.rejectsSql ? writeRejects(deps, input.dataset, sqlOf(found, 'rejectsSql'), runs) : Promise.resolve(new Map<string, number>()),
    windowsWithObjects(windows, manifest, async (span) => (await deps.runs.findObjectsOverlapping(input.dataset, span)).map((o) => `s3://${o.object.bucket}/${o.object.key}`)),
  ]);
  const rejectedRows = [...rejects.values()].reduce((a, b) => a + b, 0);
  logger.info('rows read counted, rejects written and windows planned', { rejectedRows, runs: runs.length, windows: planned.length, ms: Date.now() - started });
  const countsOf = (runId: string): { read: number; rejected: number } => ({ read: read.get(uriOf.get(runId) ?? '') ?? 0, rejected: rejects.get(runId) ?? 0 });
  // Runs without events have nothing to refine: done once their rejects are kept and their rows balance.
  await settleWithoutEvents(deps, input.dataset, runs.filter((r) => withoutEvents.includes(r.runId)), countsOf, startedAt);
  // A window's job id (its query's ClientRequestToken derives from it) names its objects too: a rerun that finds more
  // objects is a new query, never the old one returned under a newer generation.
  const jobIdOf = (window: RefineWindow, objects: readonly string[]): string => `refine-${stableHash(input.dataset, String(window.start), String(window.end), ...input.runIds, ...objects)}`;
  const windowJobIds = planned.map(({ window, objects }) => jobIdOf(window, objects));
  // The windows settle the runs with events; those without were settled above, once.
  const refined = input.runIds.filter((id) => !withoutEvents.includes(id));
  const rowsRead = refined.map((id) => countsOf(id).read);
  const rowsRejected = refined.map((id) => countsOf(id).rejected);
  for (const { window, objects } of planned) {
    const jobId = jobIdOf(window, objects);
    const stagingPrefix = refineStagingPrefix(input.dataset, jobId);
    // Two refines that took the time in the same millisecond are ordered by how many objects they
    // read: the later lookup found at least as many (objects only join the index), so it wins ties.
    const windowGeneration = `${generation}#${String(objects.length).padStart(8, '0')}`;
    const job: RefineJob = { dataset: input.dataset, jobId, stagingPrefix, hours: [...window.hours], runIds: refined, generation: windowGeneration, fedHours: fedHourSpans(manifest, refined, runs, window.start), startedAt, windowJobIds, rowsRead, rowsRejected };
    const QueryExecutionId = await startRefineWindow(deps, found, window, objects, job);
    logger.info('refine query started', { queryExecutionId: QueryExecutionId, hours: window.hours.length, runIds: input.runIds });
  }
}

/**
 * Above one query's worth of partitions, the windows of the partitions that hold rows in any object
 * the refine reads (one scan of their event times), so a refine of sparse data (4 years of daily rows
 * partitioned by hour) runs a query per 100 partitions with rows, not per 100 it spans. With none
 * found, the first planned window (one query settles the runs).
 */
async function withRowsOnly(deps: Deps, manifest: DatasetManifest, planned: readonly RefineWindow[]): Promise<RefineWindow[]> {
  const first = planned[0];
  const last = planned[planned.length - 1];
  if (!first || !last) return [];
  const span = { from: first.start - manifest.lookback.minutes * 60_000, to: last.end };
  // Run state looks objects up by day, at most MAX_WINDOW_DAYS at once: a lookup per such stretch of the span.
  const objects = new Set<string>();
  for (let from = span.from; from < span.to; from += MAX_WINDOW_DAYS * DAY_MS) {
    const read = { from: new Date(from).toISOString(), to: new Date(Math.min(span.to, from + MAX_WINDOW_DAYS * DAY_MS) - 1).toISOString() };
    for (const o of await deps.runs.findObjectsOverlapping(manifest.name, read)) objects.add(`s3://${o.object.bucket}/${o.object.key}`);
  }
  const sparse = sparseWindows(manifest, planned, await partitionsWithRows(deps, manifest, [...objects].sort(), span));
  logger.info('refine planned by the partitions with rows', { spanned: planned.reduce((n, w) => n + w.hours.length, 0), withRows: sparse.reduce((n, w) => n + w.hours.length, 0), queries: sparse.length });
  return sparse.length > 0 ? sparse : [first];
}

/**
 * Settles the runs whose objects hold no parseable event time: nothing of them can be refined, so
 * every row read must be in their rejects. A run whose rows balance succeeds with its counts; one
 * that does not fails with a `StageFailed` (`accounting`) naming its object and the missing count.
 */
async function settleWithoutEvents(deps: Deps, dataset: string, runs: readonly RunSummary[], countsOf: (runId: string) => { read: number; rejected: number }, startedAt: string): Promise<void> {
  if (runs.length === 0) return;
  const at = deps.clock().toISOString();
  const failures: { run: RunSummary; error: AccountingError }[] = [];
  await deps.runs.transitionMany(runs.map((run) => {
    const rowCounts = { ...countsOf(run.runId), refined: 0, duplicates: 0 };
    if (unaccounted(rowCounts) === 0) return { runId: run.runId, stage: STAGE, status: StageStatus.Succeeded, at, startedAt, rowCounts };
    const error = new AccountingError(accountingMessage(`s3://${run.object.bucket}/${run.object.key}`, rowCounts));
    failures.push({ run, error });
    return { runId: run.runId, stage: STAGE, status: StageStatus.Failed, at, startedAt, rowCounts, error: { errorClass: error.errorClass, message: error.message, retryable: false } };
  }));
  if (failures.length === 0) return;
  await publishOrRetry(deps.publisher, failures.map(({ run, error }) => ({
    detailType: DomainDetailType.StageFailed,
    detail: stageFailedDetail({ stage: STAGE, dataset, zone: 'refined', runId: run.runId, object: run.object }, error, deps.clock()),
  })));
}

/** The Lambda-shaped entry: refines after a raw-zone TableCrawled that covered some runs. */
export async function handler(event: unknown, deps: Deps): Promise<void> {
  let ctx: { dataset: string; runIds: string[] } | undefined;
  await runStage(deps, () => ({ stage: STAGE, ...(ctx ? { dataset: ctx.dataset, runIds: ctx.runIds } : {}) }), async () => {
    const parsed = parseContract(TableCrawledEventSchema, event, 'TableCrawled event');
    if (parsed.detail.zone !== 'raw' || parsed.detail.runIds.length === 0) return;
    ctx = { dataset: parsed.detail.dataset, runIds: [...parsed.detail.runIds].sort() };
    const once = deps.idempotency.makeIdempotent((input: { dataset: string; runIds: string[] }) => refine(input, deps), { name: STAGE, keyPath: '[dataset, runIds]' });
    await once(ctx);
  });
}
