import { parseContract } from '../contracts/contract-violation-error';
import { RefinedWrittenEventSchema } from '../contracts/domain-events';
import { StageId } from '../events/stage-ids';
import { buildInferenceRecords } from './forecast-model/inference-record';
import { TransformJobExistsError } from './ports/batch-transform-errors';
import { QueryState, runQuery } from './ports/query-engine';
import { bindDatasetStatement, queryFailedError, sqlOf } from './stage-kit/dataset-sql';
import { DomainDetailType } from '../contracts/domain-events';
import { replaceForecastPartitions } from './stage-kit/forecast-partitions';
import { HOUR_MS, hourOfPartition, partitionOfHour, partitionPath, sqlHour } from './stage-kit/hours';
import { publishOrRetry } from './stage-kit/publish-or-retry';
import { databaseOf, stableHash } from './stage-kit/naming';
import type { ForecastJob } from './stage-kit/job-records';
import { readQueryRows } from './stage-kit/read-query-rows';
import { runStage } from './stage-kit/run-stage';
import { DependencyError, PoisonInputError } from './stage-kit/stage-error';
import { stageLogger } from './stage-kit/stage-logger';
import { transitionRuns } from './stage-kit/transition-runs';
import type { StageDeps } from './stage-deps';

const logger = stageLogger(StageId.Forecast);
const STAGE = StageId.Forecast;
/** The model reads the origin hour and the hour a day before each forecast hour. */
const LOOKBACK_HOURS = 23;

/** What one forecast recomputes: the dataset's changed refined hours, the runs and the refine queries that changed them. */
export interface ForecastInput {
  readonly dataset: string;
  readonly hours: number[];
  readonly runIds: string[];
  /** The refine query ids of the `RefinedWritten` (sorted). */
  readonly sources: string[];
}

/**
 * Forecasts with rolling origins for the refined hours that changed: every origin whose inputs
 * (the origin hour and the 23 hours before it) include a changed partition is covered, and the job
 * replaces the forecast partition of each covered origin (written, or removed when no sensor has data
 * there), so the forecast table stays a function of the refined table and the model. Builds the
 * model's JSON-lines input from the refined table, writes it to the forecast zone and starts a batch
 * transform; announce-forecast publishes its output. Idempotent on (dataset, partitions, runs, refine
 * queries).
 */
export async function forecast(input: ForecastInput, deps: StageDeps): Promise<void> {
  const found = await deps.datasets.getDataset(input.dataset);
  const settings = found?.manifest.forecast;
  if (!found || !settings) return;
  if (!found.forecastInputSql) throw new PoisonInputError(`dataset ${input.dataset} has a forecast but no forecast.inputSql`);
  const keys = found.manifest.partitioning.keys;
  await requireCatalogued(deps, input.dataset, input.hours, keys);
  const covered = [...new Set(input.hours.flatMap((h) => Array.from({ length: LOOKBACK_HOURS + 1 }, (_, i) => h + i * HOUR_MS)))].sort((a, b) => a - b);
  if (covered.length === 0) {
    // A refine every partition of which a newer refine took over: its runs' data is in that one's.
    await transitionRuns(deps.runs, input.runIds, STAGE, 'succeeded', deps.clock().toISOString());
    return;
  }
  const from = (covered[0] ?? 0) - LOOKBACK_HOURS * HOUR_MS;
  const to = (covered[covered.length - 1] ?? 0) + HOUR_MS;
  // The generation orders this job's partition swaps against other forecast jobs': it is taken once
  // the changed partitions are catalogued and before the refined table is read, so of two jobs the
  // one that read later wins; the inputs' hash breaks a tie within one clock tick.
  const generation = `${deps.clock().toISOString()}/${stableHash(input.dataset, ...input.hours.map(String), ...input.runIds, ...input.sources)}`;
  const sql = bindDatasetStatement(sqlOf(found, 'forecastInputSql'), deps.topology, { window_start: sqlHour(from), window_end: sqlHour(to) });
  const execution = await runQuery(deps.query, { QueryString: sql, WorkGroup: deps.topology.readWorkgroup, QueryExecutionContext: { Database: `${deps.topology.names.resourcePrefix}_refined` } });
  if (execution.Status.State !== QueryState.Succeeded) throw queryFailedError(execution, sqlOf(found, 'forecastInputSql'), 'forecast input query', { retryable: true, catalogMayLag: true });
  const readings = (await readQueryRows(deps.query, execution.QueryExecutionId)).map((r) => ({ sensor: r['sensor'] ?? '', time: r['time'] ?? '', speed: Number(r['speed']) }));
  const records = buildInferenceRecords(readings, covered.map((h) => new Date(h).toISOString()));
  const origins = [...new Set(records.map((r) => Date.parse(r.originHour)))].sort((a, b) => a - b);
  // One name per attempt: a retry that read the table again never passes for the job that read it first.
  const name = `${deps.topology.names.resourcePrefix}-${input.dataset.replace(/_/g, '-')}-${stableHash(generation, ...covered.map(String), ...input.runIds)}`;
  if (records.length === 0) {
    await removeForecasts(deps, { dataset: input.dataset, keys, name, generation, covered, runIds: input.runIds, model: settings.model });
    return;
  }
  const bucket = deps.topology.buckets.forecast;
  await deps.objects.putObject(bucket, `_transform/${name}/input/records.jsonl`, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const outputPrefix = `_transform/${name}/output/`;
  // The start is stamped before the job starts, so it precedes the outcome announce-forecast stamps.
  const startedAt = deps.clock().toISOString();
  const job: ForecastJob = { dataset: input.dataset, model: settings.model, origins, covered, runIds: input.runIds, generation, outputPrefix, startedAt };
  await deps.jobs.putJob('forecast', name, job);
  let created = true;
  try {
    await deps.transform.createTransformJob({
      TransformJobName: name,
      ModelName: settings.model,
      TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${bucket}/_transform/${name}/input/` } }, ContentType: 'application/jsonlines', SplitType: 'Line' },
      TransformOutput: { S3OutputPath: `s3://${bucket}/${outputPrefix}`, Accept: 'application/jsonlines', AssembleWith: 'Line' },
      BatchStrategy: 'MultiRecord',
      MaxPayloadInMB: 6,
    });
  } catch (err) {
    if (!(err instanceof TransformJobExistsError)) throw err;
    created = false;
  }
  // The start goes to the runs' timelines (batched writes); their state changes once, with the
  // outcome. A re-execution that finds the job already made records no second start.
  if (created) await deps.runs.recordStarts(input.runIds.map((runId) => ({ runId, stage: STAGE, at: startedAt })));
  logger.info('forecast transform started', { transformJobName: name, origins: origins.length, covered: covered.length, records: records.length });
}

/**
 * Without a sensor with data in any covered origin there is nothing for the model to do, but what
 * earlier jobs wrote for those origins is gone from the inputs: their partitions are removed (and a
 * `ForecastReady` lists them, so the forecast crawl drops them from the catalog) and the runs succeed.
 */
async function removeForecasts(deps: StageDeps, job: { dataset: string; keys: readonly string[]; name: string; generation: string; covered: number[]; runIds: string[]; model: string }): Promise<void> {
  const replaced = await replaceForecastPartitions(deps, { dataset: job.dataset, keys: job.keys, jobName: job.name, generation: job.generation, origins: job.covered, rows: new Map() });
  await transitionRuns(deps.runs, job.runIds, STAGE, 'succeeded', deps.clock().toISOString());
  logger.info('no covered origin has data', { dataset: job.dataset, covered: job.covered.length, removed: replaced.removed.length });
  if (replaced.removed.length === 0) return;
  await publishOrRetry(deps.publisher, [
    {
      detailType: DomainDetailType.ForecastReady,
      detail: {
        schemaVersion: 1, dataset: job.dataset, partitions: replaced.removed.map((o) => partitionOfHour(o, job.keys)),
        model: { name: job.model, version: 'none' }, rows: 0, runIds: job.runIds, transformJobName: job.name,
      },
    },
  ]);
}

/**
 * Throws a retryable error while a changed refined partition that holds data is not in the catalog
 * yet: before the first refined crawl has finished, the table (or some of its partitions) is missing,
 * and the input query would silently read less data, making the forecast depend on timing.
 */
async function requireCatalogued(deps: StageDeps, dataset: string, hours: readonly number[], keys: readonly string[]): Promise<void> {
  const database = databaseOf(deps.topology, 'refined');
  const table = await deps.catalog.getTable(database, dataset);
  const known = new Set(table ? (await deps.catalog.getPartitions(database, dataset)).map((p) => p.Values.join('/')) : []);
  const missing: string[] = [];
  for (const hour of hours) {
    const partition = partitionOfHour(hour, keys);
    if (known.has(keys.map((k) => partition[k] ?? '').join('/'))) continue;
    const path = partitionPath(partition, keys);
    if ((await deps.objects.listObjects(deps.topology.buckets.refined, `${dataset}/${path}/`)).length > 0) missing.push(path);
  }
  if (missing.length > 0) {
    throw new DependencyError(`${missing.length} refined partition(s) of ${dataset} are not catalogued yet (first: ${missing[0]}); the refined crawl is still running`, { retryable: true });
  }
}

/** The Lambda-shaped entry: forecasts after `RefinedWritten`. */
export async function handler(event: unknown, deps: StageDeps): Promise<void> {
  let ctx: { dataset: string; runIds: string[] } | undefined;
  await runStage(deps, () => ({ stage: STAGE, ...(ctx ? { dataset: ctx.dataset, runIds: ctx.runIds } : {}) }), async () => {
    const parsed = parseContract(RefinedWrittenEventSchema, event, 'RefinedWritten event');
    const found = await deps.datasets.getDataset(parsed.detail.dataset);
    if (!found?.manifest.forecast) return;
    const keys = found.manifest.partitioning.keys;
    const hours = parsed.detail.partitions.map((p) => hourOfPartition(p, keys)).sort((a, b) => a - b);
    ctx = { dataset: parsed.detail.dataset, runIds: [...parsed.detail.runIds].sort() };
    // The refine queries are part of the key: a refine run again for the same runs and hours (after a
    // crash) may have read more objects, and its announcement must be forecast again, not deduplicated.
    const input: ForecastInput = { ...ctx, hours, sources: [...parsed.detail.queryExecutionIds].sort() };
    const once = deps.idempotency.makeIdempotent((i: ForecastInput) => forecast(i, deps), { name: STAGE, keyPath: '[dataset, hours, runIds, sources]' });
    await once(input);
  });
}
