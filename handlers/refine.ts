import { parseContract } from '../contracts/contract-violation-error';
import { TableCrawledEventSchema } from '../contracts/domain-events';
import { StageId } from '../events/stage-ids';
import { bindStatement, sqlLiteral } from './sql/bind-sql';
import { sqlOf } from './stage-kit/dataset-sql';
import { stableHash } from './stage-kit/naming';
import { writeRejects } from './stage-kit/write-rejects';
import type { RefineJob } from './stage-kit/job-records';
import { fedHourSpans, planRefine, windowParams, windowsWithObjects } from './stage-kit/refine-plan';
import { PoisonInputError } from './stage-kit/stage-error';
import { runStage } from './stage-kit/run-stage';
import { transitionRuns } from './stage-kit/transition-runs';
import { stageLogger } from './stage-kit/stage-logger';
import { StageStatus } from './ports/run-store';
import type { StageDeps } from './stage-deps';

const logger = stageLogger(StageId.Refine);
const STAGE = StageId.Refine;

/**
 * Refines the event-time partitions touched by the runs a raw crawl covered: each window of at most
 * 100 hours becomes one Athena query (the dataset's refine SQL, wrapped in an UNLOAD to a staging
 * prefix) in the refine workgroup, reading the raw objects whose event-time range overlaps the window
 * (run state's index); the runs' invalid rows go to the rejects table first (counted in the first
 * window's job, so RefinedWritten reports them once); announce-refined swaps the staged partitions in
 * when the query's state-change event arrives. Idempotent on (dataset, runs).
 */
export async function refine(input: { dataset: string; runIds: string[] }, deps: StageDeps): Promise<void> {
  const found = await deps.datasets.getDataset(input.dataset);
  if (!found) throw new PoisonInputError(`unknown dataset ${input.dataset}`);
  const { manifest } = found;
  const started = Date.now();
  // The refine starts on every run now. The start goes to the runs' timelines in batched writes; each
  // run's state changes once, with the outcome (which carries this start), not twice.
  const startedAt = deps.clock().toISOString();
  await deps.runs.recordStarts(input.runIds.map((runId) => ({ runId, stage: STAGE, at: startedAt })));
  const runs = await deps.runs.getRunSummaries(input.runIds);
  const { windows, withoutEvents } = planRefine(manifest, runs);
  const rejects = found.rejectsSql ? await writeRejects(deps, input.dataset, sqlOf(found, 'rejectsSql'), runs) : new Map<string, number>();
  const rejectedRows = [...rejects.values()].reduce((a, b) => a + b, 0);
  logger.info('rejects written', { rejectedRows, runs: runs.length, ms: Date.now() - started });
  // Runs without events have nothing to refine: done once their rejects are kept.
  await transitionRuns(deps.runs, withoutEvents, STAGE, StageStatus.Succeeded, deps.clock().toISOString(), startedAt);
  // Each query reads only the raw objects whose event-time range overlaps its window (plus the
  // lookback); with none left (all quarantined), a URI no object has, so the partitions come out empty.
  // The generation (which orders swaps: the newest wins) is taken before the objects are looked up, so
  // a newer job always looked up later and reads every object an older one read, and more.
  const generation = deps.clock().toISOString();
  const planned = await windowsWithObjects(windows, manifest, async (span) => (await deps.runs.findObjectsOverlapping(input.dataset, span)).map((o) => `s3://${o.object.bucket}/${o.object.key}`));
  for (const [i, { window, objects }] of planned.entries()) {
    const jobId = `refine-${stableHash(input.dataset, String(window.start), String(window.end), ...input.runIds)}`;
    const stagingPrefix = `_staging/${input.dataset}/${jobId}/`;
    const body = bindStatement(sqlOf(found, 'refineSql'), windowParams(window, manifest, objects.length > 0 ? objects : [`s3://${deps.topology.buckets.raw}/`]));
    const keys = manifest.partitioning.keys.map((k) => sqlLiteral(k)).join(', ');
    const sql = `UNLOAD (${body}\n) TO ${sqlLiteral(`s3://${deps.topology.buckets.refined}/${stagingPrefix}`)} WITH (format = 'PARQUET', compression = 'SNAPPY', partitioned_by = ARRAY[${keys}])`;
    const { QueryExecutionId } = await deps.query.startQueryExecution({
      QueryString: sql,
      QueryExecutionContext: { Database: `${deps.topology.names.resourcePrefix}_raw` },
      WorkGroup: deps.topology.names.athenaWorkgroup,
      ClientRequestToken: jobId,
    });
    const job: RefineJob = { dataset: input.dataset, jobId, stagingPrefix, hours: [...window.hours], runIds: [...input.runIds], generation, rejectedRows: i === 0 ? rejectedRows : 0, fedHours: fedHourSpans(manifest, input.runIds, runs, window.start), startedAt };
    await deps.jobs.putJob('refine', QueryExecutionId, job);
    logger.info('refine query started', { queryExecutionId: QueryExecutionId, hours: window.hours.length, runIds: input.runIds });
  }
}

/** The Lambda-shaped entry: refines after a raw-zone TableCrawled that covered some runs. */
export async function handler(event: unknown, deps: StageDeps): Promise<void> {
  let ctx: { dataset: string; runIds: string[] } | undefined;
  await runStage(deps, () => ({ stage: STAGE, ...(ctx ? { dataset: ctx.dataset, runIds: ctx.runIds } : {}) }), async () => {
    const parsed = parseContract(TableCrawledEventSchema, event, 'TableCrawled event');
    if (parsed.detail.zone !== 'raw' || parsed.detail.runIds.length === 0) return;
    ctx = { dataset: parsed.detail.dataset, runIds: [...parsed.detail.runIds].sort() };
    const once = deps.idempotency.makeIdempotent((input: { dataset: string; runIds: string[] }) => refine(input, deps), { name: STAGE, keyPath: '[dataset, runIds]' });
    await once(ctx);
  });
}
