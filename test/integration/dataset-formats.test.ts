import './quiet-logs';
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parseDatasetManifest } from '../../contracts/dataset-manifest';
import { localTopology, type EmbeddedRuntime } from '../../infra/local/runtime/embedded-runtime';
import { addDatasetFolder, duckRun, VEGA_DATA, writeDatasetFolder, type DatasetSpec } from './dataset-folders';
import { allRuns, dropFiles, openRuntime, queryRows, settle, tempDirs } from './pipeline-harness';

jest.setTimeout(240_000);

const base = { description: 'test dataset from vega-datasets', lookback: { minutes: 0 }, quality: [], refine: { sql: 'refine.sql', rejectsSql: 'rejects.sql' } };

/** Daily Seattle weather as CSV with a header, ISO dates without time of day, partitioned by day. */
const weather: DatasetSpec = {
  manifest: parseDatasetManifest({
    ...base,
    name: 'weather',
    raw: { format: 'csv', columns: { date: 'string', precipitation: 'number', temp_max: 'number', temp_min: 'number', wind: 'number', weather: 'string' } },
    eventTime: { column: 'date', format: 'iso8601' },
    partitioning: { by: 'day', keys: ['year', 'month', 'day'] },
  }),
  columns: ['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather'],
  rejects: [['bad_date', `try(from_iso8601_date("date")) IS NULL`]],
};

/** The same daily weather partitioned by hour: sparse data, 61 rows over 1,441 hours. */
const weatherHourly: DatasetSpec = {
  ...weather,
  manifest: parseDatasetManifest({ ...weather.manifest, name: 'weather_hourly', partitioning: { by: 'hour', keys: ['year', 'month', 'day', 'hour'] } }),
};

/** The same daily weather by day, its refine jobs recorded with hour starts as refines planned them before grains. */
const weatherLegacy: DatasetSpec = { ...weather, manifest: parseDatasetManifest({ ...weather.manifest, name: 'weather_legacy' }) };

/** Daily weather as CSV without header, `;`-delimited and quoted, day-first strptime times, by month. */
const weatherNoHeader: DatasetSpec = {
  manifest: parseDatasetManifest({
    ...base,
    name: 'weather_noheader',
    raw: { format: 'csv', csv: { header: false, delimiter: ';' }, columns: { col1: 'number' } },
    eventTime: { column: 'col0', format: '%d/%m/%Y' },
    partitioning: { by: 'month', keys: ['year', 'month'] },
  }),
  columns: ['col0', 'col1', 'col2'],
  rejects: [['bad_date', `try(date_parse(col0, '%d/%m/%Y')) IS NULL`]],
};

/** Four years of daily weather in one CSV file (the whole history at once), by month. */
const weatherHistory: DatasetSpec = {
  ...weather,
  manifest: parseDatasetManifest({ ...weather.manifest, name: 'weather_history', partitioning: { by: 'month', keys: ['year', 'month'] } }),
};

/** Flights as Parquet (TIMESTAMP event time), partitioned by month. */
const flightsParquet: DatasetSpec = {
  manifest: parseDatasetManifest({
    ...base,
    name: 'flights_parquet',
    raw: { format: 'parquet', columns: { delay: 'integer', distance: 'integer', origin: 'string', destination: 'string' } },
    eventTime: { column: 'date', format: 'iso8601' },
    partitioning: { by: 'month', keys: ['year', 'month'] },
  }),
  columns: ['date', 'delay', 'distance', 'origin', 'destination'],
  rejects: [['missing_origin', 'origin IS NULL']],
};

/** Flights as files holding one JSON array each (strptime event time), partitioned by hour. */
const flightsJson: DatasetSpec = {
  manifest: parseDatasetManifest({
    ...base,
    name: 'flights_json',
    raw: { format: 'json', columns: { date: 'string', delay: 'integer', distance: 'integer', origin: 'string', destination: 'string' } },
    eventTime: { column: 'date', format: '%Y/%m/%d %H:%M' },
    partitioning: { by: 'hour', keys: ['year', 'month', 'day', 'hour'] },
  }),
  columns: ['date', 'delay', 'distance', 'origin', 'destination'],
  rejects: [['bad_date', `try(date_parse("date", '%Y/%m/%d %H:%i')) IS NULL`]],
};

interface Expected {
  readonly raw: number;
  readonly rejected: number;
}

/** Every run of the dataset balanced (read = refined + rejected + duplicates) and succeeded; the totals. */
async function accounting(rt: EmbeddedRuntime, dataset: string): Promise<{ read: number; refined: number; rejected: number; runs: number }> {
  const runs = (await allRuns(rt)).filter((r) => r.dataset === dataset);
  const totals = { read: 0, refined: 0, rejected: 0, runs: runs.length };
  for (const run of runs) {
    expect({ key: run.object.key, stage: run.lastStage, status: run.lastStatus, error: run.error?.message }).toEqual({ key: run.object.key, stage: 'refine', status: 'succeeded', error: undefined });
    const c = run.rowCounts;
    expect(c).toBeDefined();
    if (!c) continue;
    expect(c.read).toBe(c.refined + c.rejected + c.duplicates);
    totals.read += c.read;
    totals.refined += c.refined;
    totals.rejected += c.rejected;
  }
  return totals;
}

describe('any dataset: CSV, JSON arrays and Parquet (gzip too) at day, month and hour grain, on real public data', () => {
  let rt: EmbeddedRuntime;
  let refineQueries: (dataset: string) => number = () => 0;
  const expected = new Map<string, Expected>();
  afterAll(async () => {
    await rt?.close();
  });
  // Registered after the runtime's close, so the folders go once it is closed.
  const tempDir = tempDirs();

  beforeAll(async () => {
    const home = await tempDir('formats-home-');
    const datasets = await tempDir('formats-datasets-');
    for (const spec of [weather, weatherHourly, weatherLegacy, weatherNoHeader, weatherHistory, flightsParquet, flightsJson]) await writeDatasetFolder(datasets, spec);
    rt = await openRuntime(home);
    addDatasetFolder(rt, datasets);
    const started = jest.spyOn(rt.deps.query, 'startQueryExecution');
    const putJob = rt.deps.jobs.putJob.bind(rt.deps.jobs);
    jest.spyOn(rt.deps.jobs, 'putJob').mockImplementation(async (kind, id, record) => {
      const hours = Array.isArray(record.hours) ? record.hours.filter((h): h is number => typeof h === 'number') : [];
      const byHour = hours.flatMap((day) => Array.from({ length: 24 }, (_, h) => day + h * 3_600_000));
      await putJob(kind, id, kind === 'refine' && record.dataset === 'weather_legacy' ? { ...record, hours: byHour } : record);
    });
    refineQueries = (dataset) => started.mock.calls.filter(([input]) => input.WorkGroup === localTopology.names.athenaWorkgroup && input.QueryString.includes(`tributary_raw.${dataset} `) && input.QueryString.includes('partitioned_by')).length;

    // Weather: January as plain CSV (plus one row whose date does not parse), February and 1 March gzipped.
    const lines = readFileSync(path.join(VEGA_DATA, 'seattle-weather.csv'), 'utf8').trim().split('\n');
    const [header = '', ...rows] = lines;
    const january = [header, ...rows.slice(0, 31), 'sometime,0.0,10.0,5.0,3.0,sun'].join('\n');
    const february = [header, ...rows.slice(31, 61)].join('\n');
    expected.set('weather', { raw: 62, rejected: 1 });
    expected.set('weather_hourly', { raw: 62, rejected: 1 });
    expected.set('weather_legacy', { raw: 62, rejected: 1 });
    // The same days as `dd/mm/yyyy;temp_max;"weather; wind"` lines (a quoted field holding the delimiter).
    const dayFirst = (r: string): string => {
      const [date = '', , tempMax = '', , wind = '', kind = ''] = r.split(',');
      const [y, m, d] = date.split('-');
      return `${d}/${m}/${y};${tempMax};"${kind}; wind ${wind}"`;
    };
    const noHeader = [rows.slice(0, 40).map(dayFirst).join('\n'), rows.slice(40, 61).map(dayFirst).join('\n')];
    expected.set('weather_noheader', { raw: 61, rejected: 0 });
    expected.set('weather_history', { raw: 1461, rejected: 0 });

    // Flights: 300 rows sampled across January-June 2001 from the 3M-row Parquet file, in two files.
    const scratch = await tempDir('formats-scratch-');
    const parquet = (n: number): string => path.join(scratch, `flights-${n}.parquet`);
    const source = `(SELECT * FROM read_parquet('${path.join(VEGA_DATA, 'flights-3m.parquet')}') USING SAMPLE 300 ROWS (reservoir, 7))`;
    await duckRun(`COPY (SELECT * FROM ${source} ORDER BY date LIMIT 150) TO '${parquet(1)}' (FORMAT parquet)`);
    await duckRun(`COPY (SELECT * FROM ${source} ORDER BY date OFFSET 150) TO '${parquet(2)}' (FORMAT parquet)`);
    expected.set('flights_parquet', { raw: 300, rejected: 0 });

    // Flights as JSON arrays: 120 flights of flights-2k in two files, the second gzipped.
    const flights = (JSON.parse(readFileSync(path.join(VEGA_DATA, 'flights-2k.json'), 'utf8')) as unknown[]).slice(0, 120);
    expected.set('flights_json', { raw: 120, rejected: 0 });

    await dropFiles(home, [
      { key: 'weather/2012-01.csv', body: january },
      { key: 'weather/2012-02.csv.gz', body: zlib.gzipSync(february) },
      { key: 'weather_hourly/2012-01.csv', body: january },
      { key: 'weather_noheader/a.csv', body: noHeader[0] ?? '' },
      { key: 'weather_noheader/b.csv.gz', body: zlib.gzipSync(noHeader[1] ?? '') },
      { key: 'weather_history/seattle-weather.csv', body: lines.join('\n') },
      { key: 'weather_legacy/2012-01.csv', body: january },
      { key: 'weather_legacy/2012-02.csv.gz', body: zlib.gzipSync(february) },
      { key: 'weather_hourly/2012-02.csv.gz', body: zlib.gzipSync(february) },
      { key: 'flights_parquet/part-1.parquet', body: await fs.readFile(parquet(1)) },
      { key: 'flights_parquet/part-2.parquet', body: await fs.readFile(parquet(2)) },
      { key: 'flights_json/a.json', body: JSON.stringify(flights.slice(0, 70)) },
      { key: 'flights_json/b.json.gz', body: zlib.gzipSync(JSON.stringify(flights.slice(70))) },
    ]);
    await settle(rt, 200_000);
  });
  it.each(['weather', 'weather_hourly', 'weather_legacy', 'weather_noheader', 'weather_history', 'flights_parquet', 'flights_json'])('%s: raw rows = refined + rejected for every object', async (dataset) => {
    const want = expected.get(dataset);
    const totals = await accounting(rt, dataset);
    expect(totals).toEqual({ read: want?.raw, refined: (want?.raw ?? 0) - (want?.rejected ?? 0), rejected: want?.rejected, runs: dataset === 'weather_history' ? 1 : 2 });
  });

  it('weather_history: a 4-year file lands whole and its 48 month partitions hold every day', async () => {
    const [row] = await queryRows(rt, `SELECT count(*) AS n, count(DISTINCT year || month) AS months FROM tributary_refined.weather_history`);
    expect(row).toEqual({ n: '1461', months: '48' });
  });

  it.each(['weather', 'weather_legacy'])('%s: the day partitions hold every valid row, each in the partition of its date (one swap per day, also for jobs listing hours)', async (dataset) => {
    const [row] = await queryRows(rt, `SELECT count(*) AS n, count(DISTINCT year || month || day) AS days, count_if(concat(year, '-', month, '-', day) <> "date") AS misplaced FROM tributary_refined.${dataset}`);
    expect(row).toEqual({ n: '61', days: '61', misplaced: '0' });
  });

  it('weather_hourly: sparse data costs a query per 100 partitions with rows, not per 100 hours spanned (15 queries when planned by hours)', async () => {
    const [row] = await queryRows(rt, `SELECT count(*) AS n, count(DISTINCT year || month || day || hour) AS hours FROM tributary_refined.weather_hourly`);
    expect(row).toEqual({ n: '61', hours: '61' });
    expect(refineQueries('weather_hourly')).toBeGreaterThan(0);
    expect(refineQueries('weather_hourly')).toBeLessThanOrEqual(2);
  });

  it('weather_noheader: a CSV without header, quoted fields holding the delimiter, by month', async () => {
    const rows = await queryRows(rt, `SELECT year, month, count(*) AS n, min(col2) AS sample FROM tributary_refined.weather_noheader GROUP BY year, month ORDER BY year, month`);
    expect(rows).toEqual([
      { year: '2012', month: '01', n: '31', sample: expect.stringMatching(/^[a-z]+; wind \d/) },
      { year: '2012', month: '02', n: '29', sample: expect.stringMatching(/; wind /) },
      { year: '2012', month: '03', n: '1', sample: expect.stringMatching(/; wind /) },
    ]);
  });

  it('flights_parquet: the month partitions hold every row, each in the partition of its time', async () => {
    const [row] = await queryRows(rt, `SELECT count(*) AS n, count(DISTINCT year || month) AS months, count_if(concat(year, '-', month) <> substr(CAST("date" AS varchar), 1, 7)) AS misplaced FROM tributary_refined.flights_parquet`);
    expect(row).toEqual({ n: '300', months: '6', misplaced: '0' });
  });

  it('flights_json: the hour partitions hold every row, each in the partition of its time', async () => {
    const [row] = await queryRows(rt, `SELECT count(*) AS n, count_if(concat(year, '/', month, '/', day, ' ', hour) <> substr("date", 1, 13)) AS misplaced FROM tributary_refined.flights_json`);
    expect(row).toEqual({ n: '120', misplaced: '0' });
  });
});
