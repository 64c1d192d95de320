import { z } from 'zod';
import { SageMakerTransformJobStateChangeEventSchema } from '../contracts/aws-events';
import { parseContract } from '../contracts/contract-violation-error';
import { DomainDetailType } from '../contracts/domain-events';
import { StageId } from '../events/stage-ids';
import { ForecastJobSchema, parseJob } from './stage-kit/job-records';
import { replaceForecastPartitions } from './stage-kit/forecast-partitions';
import { partitionStart, type PartitionGrain } from './stage-kit/forecast-origins';
import { partitionOfHour } from './stage-kit/hours';
import { reportFailure } from './stage-kit/report-failure';
import { runStage } from './stage-kit/run-stage';
import { DependencyError, PoisonInputError } from './stage-kit/stage-error';
import { stageLogger } from './stage-kit/stage-logger';
import { transitionRuns } from './stage-kit/transition-runs';
import { markStageSpan } from './stage-kit/mark-stage-span';
import { publishOrRetry } from './stage-kit/publish-or-retry';
import { declareNeeds, type DepsOf } from './stage-needs';

/** The ports and access this stage needs: all it is handed, and what its role is granted on AWS. */
export const needs = declareNeeds({ zones: { forecast: 'write' }, runs: true, jobs: true, idempotency: true, publisher: true });
type Deps = DepsOf<typeof needs>;

const logger = stageLogger(StageId.AnnounceForecast);
const STAGE = StageId.AnnounceForecast;

/** One line of the model's output (`predictRecord`): a series' forecast steps from one origin. */
const ForecastLineSchema = z.object({
  series: z.array(z.string()),
  origin: z.string().min(1),
  model: z.string().min(1),
  modelVersion: z.string().min(1),
  forecasts: z.array(z.object({ step: z.number().int(), targetTime: z.string(), prediction: z.number(), model: z.string().min(1) })),
});
type ForecastLine = z.infer<typeof ForecastLineSchema>;

function parseLine(text: string, where: string): ForecastLine {
  try {
    return ForecastLineSchema.parse(JSON.parse(text));
  } catch (err) {
    throw new PoisonInputError(`transform output ${where} is not a forecast line: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/**
 * Publishes a finished forecast transform: every origin partition the job covers is replaced whole in
 * the forecast table `<prefix>_forecast.<dataset>` (`replaceForecastPartitions`): by one JSON-lines
 * file of rows (the group-by columns, `origin_time`, `target_time`, `step`, `prediction`, `model`,
 * `model_version`), or removed when no series had data there any more, unless a newer job already
 * covers it. Lineage links each written origin partition to the job, and `ForecastReady` lists the
 * partitions replaced and names the model (seasonal-naive, version `untrained`, without a trained
 * artifact) and version that produced the rows. A failed transform is a `StageFailed`. Idempotent on
 * the job name, and safe to run again after a crash.
 */
export async function announceForecast(input: { name: string; status: string; failureReason?: string }, deps: Deps): Promise<void> {
  const startedAt = deps.clock().toISOString();
  const record = await deps.jobs.getJob('forecast', input.name);
  if (!record) throw new DependencyError(`no forecast job recorded for transform ${input.name} yet`, { retryable: true });
  const job = parseJob(ForecastJobSchema, record, `forecast job ${input.name}`);
  const found = await deps.datasets.getDataset(job.dataset);
  if (!found) throw new PoisonInputError(`unknown dataset ${job.dataset}`);
  if (input.status !== 'Completed') {
    await reportFailure(deps, { stage: StageId.Forecast, dataset: job.dataset, zone: 'forecast', runIds: job.runIds, ...(job.startedAt ? { startedAt: job.startedAt } : {}) }, new DependencyError(`transform job ${input.name} ${input.status}: ${input.failureReason ?? 'no reason given'}`, { retryable: false }));
    return;
  }
  const bucket = deps.topology.buckets.forecast;
  const lines: ForecastLine[] = [];
  for (const out of await deps.objects.listObjects(bucket, job.outputPrefix)) {
    const text = (await deps.objects.getObject(bucket, out.key)).toString('utf8');
    text.split('\n').forEach((l, i) => {
      if (l.trim() !== '') lines.push(parseLine(l, `${out.key} line ${i + 1}`));
    });
  }
  const keys = found.manifest.partitioning.keys;
  const grain: PartitionGrain = found.manifest.partitioning.by;
  const groupBy = (found.manifest.forecast?.groupBy ?? []).map((c) => c.toLowerCase());
  const byOrigin = new Map<number, string[]>();
  const models = new Set<string>();
  const versions = new Set<string>();
  for (const line of [...lines].sort((a, b) => a.origin.localeCompare(b.origin) || JSON.stringify(a.series).localeCompare(JSON.stringify(b.series)))) {
    if (line.series.length !== groupBy.length) throw new PoisonInputError(`transform ${input.name} output names ${line.series.length} series columns, the manifest groups by ${groupBy.length} (${groupBy.join(', ') || 'none'})`);
    models.add(line.model);
    versions.add(line.modelVersion);
    const origin = partitionStart(Date.parse(line.origin), grain);
    const rows = byOrigin.get(origin) ?? [];
    const series = Object.fromEntries(groupBy.map((c, i) => [c, line.series[i] ?? '']));
    for (const f of line.forecasts) {
      rows.push(JSON.stringify({ ...series, origin_time: line.origin, target_time: f.targetTime, step: f.step, prediction: f.prediction, model: f.model, model_version: line.modelVersion }));
    }
    byOrigin.set(origin, rows);
  }
  // Jobs recorded by earlier versions name only the origins that had records.
  const replaced = await replaceForecastPartitions(deps, { dataset: job.dataset, keys, jobName: input.name, generation: job.generation, origins: job.covered ?? job.origins, rows: byOrigin });
  const at = deps.clock().toISOString();
  await transitionRuns(deps.runs, job.runIds, StageId.Forecast, 'succeeded', at, job.startedAt);
  await markStageSpan(deps.runs, logger, { stage: STAGE, runIds: job.runIds, startedAt, endedAt: at });
  const partitions = [...replaced.written, ...replaced.removed].sort((a, b) => a - b);
  if (partitions.length === 0) return;
  await publishOrRetry(deps.publisher, [
    {
      detailType: DomainDetailType.ForecastReady,
      detail: {
        schemaVersion: 1, dataset: job.dataset, partitions: partitions.map((o) => partitionOfHour(o, keys)),
        model: { name: [...models].sort().join(',') || job.model, version: [...versions].sort().join(',') || 'unknown' }, rows: replaced.rows, runIds: job.runIds, transformJobName: input.name,
        ...(job.backfillId ? { backfillId: job.backfillId } : {}),
      },
    },
  ]);
  logger.info('forecast ready', { transformJobName: input.name, written: replaced.written.length, removed: replaced.removed.length, rows: replaced.rows });
}

/** The Lambda-shaped entry: parses the SageMaker state change and publishes the forecast it made. */
export async function handler(event: unknown, deps: Deps): Promise<void> {
  await runStage(deps, () => ({ stage: STAGE }), async () => {
    const d = parseContract(SageMakerTransformJobStateChangeEventSchema, event, 'SageMaker Transform Job State Change event').detail;
    const input = { name: d.TransformJobName, status: d.TransformJobStatus, ...(d.FailureReason ? { failureReason: d.FailureReason } : {}) };
    const once = deps.idempotency.makeIdempotent((i: typeof input) => announceForecast(i, deps), { name: STAGE, keyPath: '[name, status]' });
    await once(input);
  });
}
