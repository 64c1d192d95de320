import '../integration/quiet-logs';
import { DuckDBInstance } from '@duckdb/node-api';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseDatasetManifest } from '../../contracts/dataset-manifest';
import type { DomainEventInput } from '../../events/publisher';
import { announceForecast } from '../../handlers/announce-forecast';
import { forecast } from '../../handlers/forecast';
import { createInferenceFunction } from '../../handlers/forecast-model/inference-function';
import type { ForecastModelArtifact } from '../../handlers/forecast-model/model-artifact';
import { forecastModelName } from '../../handlers/forecast-model/model-name';
import { bucketSeries } from '../../handlers/forecast-model/series-set';
import { StepGrid } from '../../handlers/forecast-model/step-grid';
import { trainForecast } from '../../handlers/forecast-model/train';
import type { Dataset } from '../../handlers/ports/dataset-store';
import type { StageDeps } from '../../handlers/stage-deps';
import { LocalBatchTransform } from '../../infra/emulators/batch-transform/local-batch-transform';
import type { EmbeddedRuntime } from '../../infra/local/runtime/embedded-runtime';
import { openRuntime, tempDir } from '../integration/pipeline-harness';
import { seattleTempMax } from './forecast-model/real-series';

jest.setTimeout(120_000);

const DAY = 86_400_000;
const KEYS = ['year', 'month', 'day'];
/** 120 days of Seattle's daily maximum temperature (2012-01-01 …), the refined table of a one-series, day-partitioned dataset. */
const HISTORY = seattleTempMax().slice(0, 120);
const FIRST = HISTORY[0]?.time ?? 0;

const weather: Dataset = {
  manifest: parseDatasetManifest({
    name: 'weather',
    description: 'Seattle daily weather.',
    raw: { format: 'jsonl' },
    eventTime: { column: 'date', format: 'iso8601' },
    partitioning: { by: 'day', keys: KEYS },
    lookback: { minutes: 0 },
    quality: [],
    forecast: { target: 'temp_max', groupBy: [], every: '1d', horizon: 3 },
    refine: { sql: 'refine.sql' },
  }),
  refineSql: 'SELECT 1',
  views: [],
  files: { manifest: 'datasets/weather/manifest.json', refineSql: 'datasets/weather/refine.sql' },
};

let root: string;
let rt: EmbeddedRuntime;
const published: DomainEventInput[] = [];
const transforms: LocalBatchTransform[] = [];

/** Writes the history as the refine would (Parquet per day partition) and catalogues it as the refined crawl would. */
async function refinedTable(home: string, deps: StageDeps): Promise<void> {
  const dir = path.join(home, 'lake', 'refined', 'weather');
  await fs.mkdir(path.dirname(dir), { recursive: true });
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const values = HISTORY.map((r) => `(TIMESTAMP '${new Date(r.time).toISOString().slice(0, 19).replace('T', ' ')}', ${r.value})`).join(', ');
  await conn.run(`COPY (SELECT eventtime, temp_max, strftime(eventtime, '%Y') AS year, strftime(eventtime, '%m') AS month, strftime(eventtime, '%d') AS day FROM (VALUES ${values}) t(eventtime, temp_max)) TO '${dir}' (FORMAT parquet, PARTITION_BY (year, month, day))`);
  conn.closeSync();
  const parquet = { InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat', SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' } };
  if (!(await deps.catalog.getDatabase('tributary_refined'))) await deps.catalog.createDatabase({ Name: 'tributary_refined' });
  await deps.catalog.createTable('tributary_refined', {
    Name: 'weather', TableType: 'EXTERNAL_TABLE', Parameters: { classification: 'parquet' },
    PartitionKeys: KEYS.map((k) => ({ Name: k, Type: 'string' })),
    StorageDescriptor: { ...parquet, Location: 's3://tributary-refined/weather/', Columns: [{ Name: 'eventtime', Type: 'timestamp' }, { Name: 'temp_max', Type: 'double' }] },
  });
  const partitions = HISTORY.map((r) => {
    const [y, m, d] = new Date(r.time).toISOString().slice(0, 10).split('-');
    return { Values: [y ?? '', m ?? '', d ?? ''], StorageDescriptor: { ...parquet, Location: `s3://tributary-refined/weather/year=${y}/month=${m}/day=${d}/`, Columns: [] } };
  });
  // Glue takes at most 100 partitions per call.
  for (let i = 0; i < partitions.length; i += 100) await deps.catalog.batchCreatePartition('tributary_refined', 'weather', partitions.slice(i, i + 100));
}

/** The stage deps of the weather dataset, its transform serving `artifact` (none: seasonal-naive); events are recorded, not sent. */
async function depsWith(artifact: ForecastModelArtifact | undefined): Promise<StageDeps> {
  const transform = await LocalBatchTransform.open({
    home: rt.home,
    bus: { putEvents: async (entries) => ({ FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: 'unsent' })) }) },
    models: { [forecastModelName('weather')]: createInferenceFunction(artifact) },
    resume: false,
  });
  transforms.push(transform);
  return {
    ...rt.deps,
    transform,
    datasets: { getDataset: async (name) => (name === 'weather' ? weather : undefined), listDatasets: async () => ['weather'] },
    publisher: { publish: async (events) => { published.push(...events); return { eventIds: events.map(() => 'recorded'), failed: [] }; } },
  };
}

/** Forecasts the last `days` days as changed partitions and announces the finished job; the rows written, by origin day. */
async function forecastLastDays(deps: StageDeps, days: number, source: string): Promise<Map<string, Record<string, unknown>[]>> {
  const changed = Array.from({ length: days }, (_, i) => FIRST + (HISTORY.length - days + i) * DAY);
  await deps.runs.recordLanding({ runId: `run-${source}`, dataset: 'weather', object: { bucket: 'tributary-raw', key: `weather/${source}.jsonl`, etag: source, size: 1 }, landedAt: new Date(0).toISOString() });
  await forecast({ dataset: 'weather', hours: changed, runIds: [`run-${source}`], sources: [source] }, deps);
  const [name] = (await jobNames(deps)).filter((n) => !announced.has(n));
  if (name === undefined) throw new Error('no forecast job started');
  announced.add(name);
  await transforms[transforms.length - 1]?.waitForJob(name);
  await announceForecast({ name, status: 'Completed' }, deps);
  const rows = new Map<string, Record<string, unknown>[]>();
  const bucket = deps.topology.buckets.forecast;
  for (const object of await deps.objects.listObjects(bucket, 'weather/')) {
    const day = /year=(\d+)\/month=(\d+)\/day=(\d+)/.exec(object.key)?.slice(1).join('-') ?? '?';
    const lines = (await deps.objects.getObject(bucket, object.key)).toString('utf8').trim().split('\n');
    rows.set(day, lines.map((l) => JSON.parse(l) as Record<string, unknown>));
  }
  return rows;
}

const announced = new Set<string>();
async function jobNames(deps: StageDeps): Promise<string[]> {
  const inputs = await deps.objects.listObjects(deps.topology.buckets.forecast, '_transform/');
  return [...new Set(inputs.map((o) => o.key.split('/')[1] ?? '').filter((n) => n.includes('-weather-')))];
}

beforeAll(async () => {
  root = await tempDir('forecast-any');
  rt = await openRuntime(path.join(root, 'home'));
  await refinedTable(rt.home, rt.deps);
});
afterAll(async () => {
  for (const t of transforms) await t.close();
  await rt.close();
  await fs.rm(root, { recursive: true, force: true });
});

describe('forecast of a dataset other than traffic (one series, day partitions, daily steps, SQL generated from the manifest)', () => {
  it('without a trained model forecasts seasonal-naive, says so, and writes the one forecast table shape', async () => {
    const rows = await forecastLastDays(await depsWith(undefined), 2, 'untrained');
    // The two changed days are origins with data; the 7 days after them read them but hold no data.
    expect([...rows.keys()].sort()).toEqual(['2012-04-28', '2012-04-29']);
    const last = rows.get('2012-04-29') ?? [];
    expect(last.map((r) => Object.keys(r).sort())).toEqual(Array(3).fill(['model', 'model_version', 'origin_time', 'prediction', 'step', 'target_time']));
    // Season 7: each step repeats the day a week before its target.
    const weekBefore = (offset: number): number | undefined => HISTORY[HISTORY.length - 1 + offset - 7]?.value;
    expect(last).toEqual([1, 2, 3].map((step) => ({
      origin_time: '2012-04-29T00:00:00.000Z', target_time: new Date(Date.UTC(2012, 3, 29 + step)).toISOString(), step, prediction: weekBefore(step), model: 'seasonal-naive', model_version: 'untrained',
    })));
    const ready = published.find((e) => e.detailType === 'ForecastReady');
    expect(ready?.detail).toMatchObject({ dataset: 'weather', model: { name: 'seasonal-naive', version: 'untrained' }, rows: 6 });
  });

  it('with a trained model, replaces the same origins with the learned forecasts', async () => {
    const { artifact } = trainForecast(bucketSeries(HISTORY, new StepGrid('1d')), { every: '1d', horizon: 3, season: 7 }, { dataset: 'weather' });
    const rows = await forecastLastDays(await depsWith(artifact), 2, 'trained');
    expect([...rows.keys()].sort()).toEqual(['2012-04-28', '2012-04-29']);
    const models = new Set([...rows.values()].flat().map((r) => `${String(r['model'])} ${String(r['model_version'])}`));
    expect(models).toEqual(new Set([`${artifact.model} ${artifact.version}`]));
    expect([...rows.values()].flat()).toHaveLength(6);
  });
});
