import { AthenaQueryStateChangeEventSchema } from '../contracts/aws-events';
import { parseContract } from '../contracts/contract-violation-error';
import { DomainDetailType } from '../contracts/domain-events';
import { StageId } from '../events/stage-ids';
import { parseJob, RefineJobSchema } from './stage-kit/job-records';
import { QueryState } from './ports/query-engine';
import { HOUR_MS, partitionOfHour, partitionPath } from './stage-kit/hours';
import { fedHourSpans } from './stage-kit/refine-plan';
import { reportFailure } from './stage-kit/report-failure';
import { queryFailedError, sqlOf } from './stage-kit/dataset-sql';
import { runStage } from './stage-kit/run-stage';
import { DependencyError, PoisonInputError } from './stage-kit/stage-error';
import { stageLogger } from './stage-kit/stage-logger';
import { swapPartitions } from './stage-kit/swap-partitions';
import { StageStatus } from './ports/run-store';
import { publishOrRetry } from './stage-kit/publish-or-retry';
import type { StageDeps } from './stage-deps';

const logger = stageLogger(StageId.AnnounceRefined);
const STAGE = StageId.AnnounceRefined;

/**
 * Finishes a refine query when Athena reports its end: swaps the staged partitions into the refined
 * table (whole partitions, newest writer wins), records lineage and run state, and announces
 * `RefinedWritten`. Every query in the refine workgroup is a refine, so an id with no job yet (the
 * event outran the starter's record) is retried rather than ignored. Idempotent on the query id.
 */
export async function announceRefined(input: { queryExecutionId: string; state: string }, deps: StageDeps): Promise<void> {
  const record = await deps.jobs.getJob('refine', input.queryExecutionId);
  if (!record) throw new DependencyError(`no refine job recorded for query ${input.queryExecutionId} yet`, { retryable: true });
  const job = parseJob(RefineJobSchema, record, `refine job of query ${input.queryExecutionId}`);
  const found = await deps.datasets.getDataset(job.dataset);
  if (!found) throw new PoisonInputError(`unknown dataset ${job.dataset}`);
  const keys = found.manifest.partitioning.keys;
  if (input.state !== QueryState.Succeeded) {
    const execution = await deps.query.getQueryExecution(input.queryExecutionId);
    await reportFailure(deps, { stage: StageId.Refine, dataset: job.dataset, zone: 'refined', runIds: job.runIds, ...(job.startedAt ? { startedAt: job.startedAt } : {}) }, queryFailedError(execution, sqlOf(found, 'refineSql'), `refine query ${input.queryExecutionId}`, { retryable: false }));
    return;
  }
  const bucket = deps.topology.buckets.refined;
  const swaps = job.hours.map((hour) => {
    const path = partitionPath(partitionOfHour(hour, keys), keys);
    return { hour, path, stagedPrefix: `${job.stagingPrefix}${path}/`, livePrefix: `${job.dataset}/${path}/` };
  });
  const started = Date.now();
  const swapped = await swapPartitions(deps, bucket, job.dataset, job.jobId, job.generation, swaps);
  const swappedMs = Date.now() - started;
  await registerPartitions(deps, job.dataset, swaps.filter((s) => swapped.includes(s.path)).map((s) => s.path));
  const results = await deps.query.getQueryResults(input.queryExecutionId, { MaxResults: 1 });
  const partitions = swaps.filter((s) => swapped.includes(s.path)).map((s) => partitionOfHour(s.hour, keys));
  const at = deps.clock().toISOString();
  // Lineage goes with each run's transition (one write per run): the job's partitions its readings
  // feed. Also those a later job swapped in first: that job read every object overlapping them, this one too.
  const base = job.hours[0] ?? 0;
  // Jobs recorded by earlier versions carry no spans: then they come from run state.
  const spans = job.fedHours?.length === job.runIds.length ? job.fedHours : fedHourSpans(found.manifest, job.runIds, await deps.runs.getRunSummaries(job.runIds), base);
  const offsets = swaps.map((s) => ({ path: s.path, offset: (s.hour - base) / HOUR_MS }));
  await deps.runs.transitionMany(job.runIds.map((runId, i) => {
    const span = spans[i];
    const fed = span ? offsets.filter((s) => s.offset >= span[0] && s.offset <= span[1]).map((s) => s.path) : [];
    return { runId, stage: StageId.Refine, status: StageStatus.Succeeded, at, refinedPartitions: fed, ...(job.startedAt ? { startedAt: job.startedAt } : {}) };
  }));
  if (swapped.length === 0) {
    logger.info('refine superseded by a newer one', { queryExecutionId: input.queryExecutionId });
    return;
  }
  await publishOrRetry(deps.publisher, [
    {
      detailType: DomainDetailType.RefinedWritten,
      detail: { schemaVersion: 1, dataset: job.dataset, partitions, rows: results.UpdateCount ?? 0, rejectedRows: job.rejectedRows, runIds: job.runIds, queryExecutionIds: [input.queryExecutionId] },
    },
  ]);
  logger.info('refined written', { queryExecutionId: input.queryExecutionId, partitions: swapped.length, rows: results.UpdateCount, swapMs: swappedMs, ms: Date.now() - started });
}

/**
 * Registers swapped partitions in the refined table's catalog entry, as Athena's INSERT INTO does,
 * so readers (forecast, views) see them before the refined crawl ends. Before the first crawl there
 * is no table yet: the crawl creates it with every partition.
 */
async function registerPartitions(deps: StageDeps, dataset: string, paths: readonly string[]): Promise<void> {
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
export async function handler(event: unknown, deps: StageDeps): Promise<void> {
  await runStage(deps, () => ({ stage: STAGE }), async () => {
    const parsed = parseContract(AthenaQueryStateChangeEventSchema, event, 'Athena Query State Change event');
    const input = { queryExecutionId: parsed.detail.queryExecutionId, state: parsed.detail.currentState };
    const once = deps.idempotency.makeIdempotent((i: typeof input) => announceRefined(i, deps), { name: STAGE, keyPath: '[queryExecutionId, state]' });
    await once(input);
  });
}
