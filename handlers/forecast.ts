import { parseContract } from '../contracts/contract-violation-error';
import { RefinedWrittenEventSchema, TableCrawledEventSchema } from '../contracts/domain-events';
import { hoursFedBy } from './stage-kit/refine-plan';
import { StageId } from '../events/stage-ids';
import { eventTimeMs } from './forecast-model/event-time-ms';
import { buildInferenceRecords } from './forecast-model/inference-record';
import { forecastModelName } from './forecast-model/model-name';
import { lookbackSteps, seriesSpecOf } from './forecast-model/series-spec';
import { StepGrid } from './forecast-model/step-grid';
import { TransformJobExistsError } from './ports/batch-transform-errors';
import { QueryState, runQuery } from './ports/query-engine';
import { bindDatasetStatement, queryFailedError } from './stage-kit/dataset-sql';
import { DomainDetailType } from '../contracts/domain-events';
import { forecastInputSource, forecastPieceInputSql } from './stage-kit/forecast-input-sql';
import type { SeriesRow } from './forecast-model/series-set';
import type { Dataset } from './ports/dataset-store';
import type { SqlSource } from './sql/bind-sql';
import { coveredOrigins, inputStart, nextPartitionStart, partitionStart, sqlTime, startOfPartition, type PartitionGrain } from './stage-kit/forecast-origins';
import { replaceForecastPartitions } from './stage-kit/forecast-partitions';
import { partitionOfHour, partitionPath } from './stage-kit/hours';
import { publishOrRetry } from './stage-kit/publish-or-retry';
import { databaseOf, stableHash } from './stage-kit/naming';
import type { ForecastJob } from './stage-kit/job-records';
import { readQueryRows } from './stage-kit/read-query-rows';
import { runStage } from './stage-kit/run-stage';
import { DependencyError } from './stage-kit/stage-error';
import { stageLogger } from './stage-kit/stage-logger';
import { transitionRuns } from './stage-kit/transition-runs';
import { IndexedRunStates, StageStatus } from './ports/run-store';
import { declareNeeds, type DepsOf } from './stage-needs';

/** The ports and access this stage needs: all it is handed, and what its role is granted on AWS. */
export const needs = declareNeeds({ zones: { refined: 'read', forecast: 'write' }, catalog: 'read', query: 'read', transform: true, runs: true, jobs: true, idempotency: true, publisher: true });
type Deps = DepsOf<typeof needs>;

const logger = stageLogger(StageId.Forecast);
/** Origin partitions whose inference records go to one input object of the transform. */
const ORIGINS_PER_INPUT_FILE = 24;
const STAGE = StageId.Forecast;

/** What one forecast recomputes: the dataset's changed refined partitions (their starts), the runs and the refine queries that changed them. */
export interface ForecastInput {
  readonly dataset: string;
  readonly hours: number[];
  readonly runIds: string[];
  /** The refine query ids of the `RefinedWritten` (sorted). */
  readonly sources: string[];
  /** The backfill that changed the partitions, when one did (its `ForecastReady` names it). */
  readonly backfillId?: string;
}

/**
 * Forecasts with rolling origins for the refined partitions that changed, as the manifest's forecast
 * settings say (target, group-by series, step, horizon, season): every origin partition whose inputs
 * (its own data and one season of steps before it) include a changed partition is covered, and the
 * job replaces the forecast partition of each covered origin (written, or removed when no series has
 * data there), so the forecast table stays a function of the refined table and the model. Builds the
 * model's JSON-lines input from the refined table (the manifest's `inputSql`, or SQL generated from
 * it), writes it to the forecast zone and starts a batch transform of the dataset's model;
 * announce-forecast publishes its output. Idempotent on (dataset, partitions, runs, refine queries).
 */
export async function forecast(input: ForecastInput, deps: Deps): Promise<void> {
  const found = await deps.datasets.getDataset(input.dataset);
  const settings = found?.manifest.forecast;
  if (!found || !settings) return;
  const keys = found.manifest.partitioning.keys;
  const grain: PartitionGrain = found.manifest.partitioning.by;
  const spec = seriesSpecOf(settings);
  const grid = new StepGrid(spec.every);
  const lookback = lookbackSteps(spec);
  if (!(await requireCatalogued(deps, input.dataset, input.hours, keys))) {
    // Before the refined table's first crawl there is nothing to read: the runs wait, their forecast
    // pending, for that crawl's TableCrawled, which forecasts them (`forecastOwed`), ordered by the
    // events rather than by a retry budget that a long crawl would exhaust. The table is looked up
    // again once they are marked: a crawl that created it in between may have looked for pending runs
    // before the mark, so then this forecast goes on itself.
    await transitionRuns(deps.runs, input.runIds, STAGE, StageStatus.Pending, deps.clock().toISOString());
    if (!(await requireCatalogued(deps, input.dataset, input.hours, keys))) {
      logger.info('the refined table is not catalogued yet; the forecast waits for its first crawl', { dataset: input.dataset, runIds: input.runIds.length });
      return;
    }
  }
  const covered = coveredOrigins(input.hours, grain, grid, lookback);
  if (covered.length === 0) {
    // A refine every partition of which a newer refine took over: its runs' data is in that one's.
    await transitionRuns(deps.runs, input.runIds, STAGE, 'succeeded', deps.clock().toISOString());
    return;
  }
  const from = inputStart(covered[0] ?? 0, grid, lookback);
  const to = nextPartitionStart(covered[covered.length - 1] ?? 0, grain);
  // The generation orders this job's partition swaps against other forecast jobs': it is taken once
  // the changed partitions are catalogued and before the refined table is read, so of two jobs the
  // one that read later wins; the inputs' hash breaks a tie within one clock tick.
  const generation = `${deps.clock().toISOString()}/${stableHash(input.dataset, ...input.hours.map(String), ...input.runIds, ...input.sources)}`;
  const rows = await readForecastInput(deps, found, { from, to }, grid);
  const model = forecastModelName(input.dataset);
  // One name per attempt: a retry that read the table again never passes for the job that read it first.
  const name = `${deps.topology.names.resourcePrefix}-${input.dataset.replace(/_/g, '-')}-${stableHash(generation, ...covered.map(String), ...input.runIds)}`;
  const bucket = deps.topology.buckets.forecast;
  // The records are built and written a group of origins at a time, one input object each (the
  // transform reads every object under the input prefix), so a job over days of origins never holds
  // all its records, or one string of them all, in memory.
  const originsFound = new Set<number>();
  let records = 0;
  for (let i = 0; i < covered.length; i += ORIGINS_PER_INPUT_FILE) {
    const group = covered.slice(i, i + ORIGINS_PER_INPUT_FILE);
    const built = buildInferenceRecords(input.dataset, rows, spec, group.map((start) => ({ start, end: nextPartitionStart(start, grain) })));
    if (built.length === 0) continue;
    for (const r of built) originsFound.add(partitionStart(Date.parse(r.origin), grain));
    records += built.length;
    await deps.objects.putObject(bucket, `_transform/${name}/input/records-${String(i / ORIGINS_PER_INPUT_FILE).padStart(5, '0')}.jsonl`, built.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }
  const origins = [...originsFound].sort((a, b) => a - b);
  if (records === 0) {
    await removeForecasts(deps, { dataset: input.dataset, keys, name, generation, covered, runIds: input.runIds, ...(input.backfillId ? { backfillId: input.backfillId } : {}) });
    return;
  }
  const outputPrefix = `_transform/${name}/output/`;
  // The start is stamped before the job starts, so it precedes the outcome announce-forecast stamps.
  const startedAt = deps.clock().toISOString();
  const job: ForecastJob = { dataset: input.dataset, model, origins, covered, runIds: input.runIds, generation, outputPrefix, startedAt, ...(input.backfillId ? { backfillId: input.backfillId } : {}) };
  await deps.jobs.putJob('forecast', name, job);
  let created = true;
  try {
    await deps.transform.createTransformJob({
      TransformJobName: name,
      ModelName: model,
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
  logger.info('forecast transform started', { transformJobName: name, origins: origins.length, covered: covered.length, records });
}

/**
 * The refined rows a forecast job reads, as series rows. The generated input reads only the
 * partitions of the window, step pieces (a row per piece at its start, with the exact sum and the
 * count of its values: the step means come out as from the readings themselves); a manifest's own
 * `inputSql` is read row by row.
 */
async function readForecastInput(deps: Deps, found: Dataset, window: { from: number; to: number }, grid: StepGrid): Promise<SeriesRow[]> {
  const settings = found.manifest.forecast;
  if (!settings) return [];
  const refinedDatabase = databaseOf(deps.topology, 'refined');
  const groupBy = settings.groupBy.map((c) => c.toLowerCase());
  const pieces = forecastPieceInputSql(found, refinedDatabase, window, grid);
  const source: SqlSource = pieces === undefined ? forecastInputSource(found, refinedDatabase) : { file: `${found.files.manifest} (forecast input generated from forecast.target, groupBy)`, sql: pieces };
  const sql = pieces ?? bindDatasetStatement(source, deps.topology, { window_start: sqlTime(window.from), window_end: sqlTime(window.to) });
  const execution = await runQuery(deps.query, { QueryString: sql, WorkGroup: deps.topology.readWorkgroup, QueryExecutionContext: { Database: refinedDatabase } });
  if (execution.Status.State !== QueryState.Succeeded) throw queryFailedError(execution, source, 'forecast input query', { retryable: true, catalogMayLag: true });
  const read = await readQueryRows(deps.query, execution.QueryExecutionId);
  if (pieces === undefined) return read.map((r) => ({ key: groupBy.map((c) => r[c] ?? ''), time: eventTimeMs(r['time'] ?? ''), value: Number(r['value'] ?? Number.NaN) }));
  return read.map((r) => ({ key: groupBy.map((c) => r[c] ?? ''), time: Number(r['piece'] ?? Number.NaN) * 1000, value: Number(r['sum'] ?? Number.NaN), count: Number(r['count'] ?? 0) }));
}

/**
 * Without a series with data in any covered origin there is nothing for the model to do, but what
 * earlier jobs wrote for those origins is gone from the inputs: their partitions are removed (and a
 * `ForecastReady` lists them, so the forecast crawl drops them from the catalog) and the runs succeed.
 */
async function removeForecasts(deps: Deps, job: { dataset: string; keys: readonly string[]; name: string; generation: string; covered: number[]; runIds: string[]; backfillId?: string }): Promise<void> {
  const replaced = await replaceForecastPartitions(deps, { dataset: job.dataset, keys: job.keys, jobName: job.name, generation: job.generation, origins: job.covered, rows: new Map() });
  await transitionRuns(deps.runs, job.runIds, STAGE, 'succeeded', deps.clock().toISOString());
  logger.info('no covered origin has data', { dataset: job.dataset, covered: job.covered.length, removed: replaced.removed.length });
  if (replaced.removed.length === 0) return;
  await publishOrRetry(deps.publisher, [
    {
      detailType: DomainDetailType.ForecastReady,
      detail: {
        schemaVersion: 1, dataset: job.dataset, partitions: replaced.removed.map((o) => partitionOfHour(o, job.keys)),
        model: { name: forecastModelName(job.dataset), version: 'none' }, rows: 0, runIds: job.runIds, transformJobName: job.name,
        ...(job.backfillId ? { backfillId: job.backfillId } : {}),
      },
    },
  ]);
}

/**
 * False while the refined table is not in the catalog at all (before its first crawl: the runs wait
 * for that crawl's TableCrawled); throws a retryable error while a changed refined partition that
 * holds data is not catalogued yet (announce-refined registers them as it swaps), as the input query
 * would silently read less data, making the forecast depend on timing.
 */
async function requireCatalogued(deps: Deps, dataset: string, hours: readonly number[], keys: readonly string[]): Promise<boolean> {
  const database = databaseOf(deps.topology, 'refined');
  const table = await deps.catalog.getTable(database, dataset);
  if (!table) return false;
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
  return true;
}

/**
 * After a crawl of the refined zone: forecasts the dataset's runs whose forecast is pending (their
 * RefinedWritten came before the table's first crawl, and their forecast marked them), over the
 * partitions their readings feed. Runs whose forecast is under way are not taken: a crawl during a
 * trickle of files would otherwise forecast every run in flight a second time. Reads the run store's
 * index of runs whose forecast is pending, not the listing of every run.
 */
async function forecastOwed(crawl: { id: string; dataset: string }, deps: Deps): Promise<void> {
  const found = await deps.datasets.getDataset(crawl.dataset);
  if (!found?.manifest.forecast) return;
  // A run without event times ends at its refine (nothing of it reaches a partition): it is not owed a forecast.
  const owed = (await deps.runs.listRunsIn(crawl.dataset, IndexedRunStates.ForecastPending)).filter((r) => hoursFedBy(found.manifest, r).length > 0);
  if (owed.length === 0) return;
  const hours = [...new Set(owed.flatMap((run) => hoursFedBy(found.manifest, run)))].sort((a, b) => a - b);
  const input: ForecastInput = { dataset: crawl.dataset, runIds: owed.map((r) => r.runId).sort(), hours, sources: [`crawl:${crawl.id}`] };
  logger.info('forecasting the runs that waited for the refined crawl', { dataset: crawl.dataset, runIds: owed.length, partitions: hours.length });
  const once = deps.idempotency.makeIdempotent((i: ForecastInput) => forecast(i, deps), { name: STAGE, keyPath: '[dataset, hours, runIds, sources]' });
  await once(input);
}

/** The Lambda-shaped entry: forecasts after `RefinedWritten`, and after a refined `TableCrawled` the runs that waited for it. */
export async function handler(event: unknown, deps: Deps): Promise<void> {
  let ctx: { dataset: string; runIds: string[] } | undefined;
  await runStage(deps, () => ({ stage: STAGE, ...(ctx ? { dataset: ctx.dataset, runIds: ctx.runIds } : {}) }), async () => {
    if (typeof event === 'object' && event !== null && Reflect.get(event, 'detail-type') === DomainDetailType.TableCrawled) {
      const crawled = parseContract(TableCrawledEventSchema, event, 'TableCrawled event');
      // Keyed by the crawl, not the event: a crawler event delivered twice is announced twice, and forecasts once.
      if (crawled.detail.zone === 'refined') await forecastOwed({ id: crawled.detail.crawl ?? crawled.id, dataset: crawled.detail.dataset }, deps);
      return;
    }
    const parsed = parseContract(RefinedWrittenEventSchema, event, 'RefinedWritten event');
    const found = await deps.datasets.getDataset(parsed.detail.dataset);
    if (!found?.manifest.forecast) return;
    const keys = found.manifest.partitioning.keys;
    const hours = parsed.detail.partitions.map((p) => startOfPartition(p, keys)).sort((a, b) => a - b);
    ctx = { dataset: parsed.detail.dataset, runIds: [...parsed.detail.runIds].sort() };
    // The refine queries are part of the key: a refine run again for the same runs and hours (after a
    // crash) may have read more objects, and its announcement must be forecast again, not deduplicated.
    const input: ForecastInput = { ...ctx, hours, sources: [...parsed.detail.queryExecutionIds].sort(), ...(parsed.detail.backfillId ? { backfillId: parsed.detail.backfillId } : {}) };
    const once = deps.idempotency.makeIdempotent((i: ForecastInput) => forecast(i, deps), { name: STAGE, keyPath: '[dataset, hours, runIds, sources]' });
    await once(input);
  });
}
