import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { folderRoot } from '../../../infra/datasets/dataset-roots';
import { newDataset, type NewDatasetRequest } from '../../../infra/datasets/new-dataset';
import { validateDataset } from '../../../infra/datasets/validate-dataset';

const DATA = path.join(__dirname, '..', '..', '..', 'node_modules', 'vega-datasets', 'data');

describe('newDataset: a working dataset folder from a real sample file', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tributary-new-dataset-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Writes the dataset into `<root>/datasets/<name>`, validates it, and returns its manifest and problems. */
  const generate = async (request: Omit<NewDatasetRequest, 'dir'>): Promise<{ manifest: Record<string, unknown>; problems: string[] }> => {
    const dir = path.join(root, 'datasets', request.name);
    await newDataset({ ...request, dir });
    const problems = await validateDataset({ name: request.name, folder: dir, root: folderRoot(path.dirname(dir)) });
    const manifest: unknown = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    if (typeof manifest !== 'object' || manifest === null) throw new Error('manifest is not an object');
    return { manifest: { ...manifest }, problems: problems.map((p) => p.message) };
  };

  it('daily weather CSV: the crawler\'s columns and types, ISO dates partitioned by day, and it validates', async () => {
    const { manifest, problems } = await generate({ name: 'weather', from: path.join(DATA, 'seattle-weather.csv'), eventTime: 'date' });
    expect(problems).toEqual([]);
    expect(manifest).toMatchObject({
      raw: { format: 'csv', columns: { date: 'string', precipitation: 'number', temp_max: 'number', temp_min: 'number', wind: 'number', weather: 'string' } },
      eventTime: { column: 'date', format: 'iso8601' },
      partitioning: { by: 'day', keys: ['year', 'month', 'day'] },
      quality: [{ name: 'missing_event_time' }, { name: 'bad_event_time' }],
    });
  });

  it('column names as in the file, any case or spaces (the catalog lowercases them)', async () => {
    const lines = (await readFile(path.join(DATA, 'seattle-weather.csv'), 'utf8')).split('\n').slice(1, 60);
    const file = path.join(root, 'Seattle Weather.csv');
    await writeFile(file, ['Date,Precipitation,Temp Max,Temp Min,Wind Speed,Weather', ...lines].join('\n'));
    const forecast = { target: 'Temp Max', groupBy: ['Wind Speed'], every: '1d', horizon: 3 };
    const { manifest, problems } = await generate({ name: 'weather_named', from: file, eventTime: 'DATE', grain: 'month', forecast });
    expect(problems).toEqual([]);
    expect(manifest).toMatchObject({
      raw: { columns: { Date: 'string', Precipitation: 'number', 'Temp Max': 'number', 'Temp Min': 'number', 'Wind Speed': 'number', Weather: 'string' } },
      eventTime: { column: 'date' },
      partitioning: { by: 'month', keys: ['year', 'month'] },
      forecast: { target: 'temp max', groupBy: ['wind speed'] },
    });
    expect(await readFile(path.join(root, 'datasets', 'weather_named', 'refine.sql'), 'utf8')).toContain('"wind speed",');
  });

  it('flights as one JSON array with a strptime event time, and a clear error without --time-format', async () => {
    const from = path.join(DATA, 'flights-2k.json');
    await expect(newDataset({ name: 'flights_bad', from, eventTime: 'date', dir: path.join(root, 'flights_bad') })).rejects.toThrow('--event-time "date" holds "2001/01/01 06:55", which is not ISO-8601; pass --time-format');
    await expect(newDataset({ name: 'flights_bad', from, eventTime: 'date', timeFormat: '%d/%m/%Y %H:%M', dir: path.join(root, 'flights_bad') })).rejects.toThrow('--time-format "%d/%m/%Y %H:%M" does not parse "2001/01/01 06:55", a value of --event-time "date" in the sample (every such row would be rejected)');
    const { manifest, problems } = await generate({ name: 'flights', from, eventTime: 'date', timeFormat: '%Y/%m/%d %H:%M' });
    expect(problems).toEqual([]);
    expect(manifest).toMatchObject({
      raw: { format: 'json', columns: { date: 'string', delay: 'integer', distance: 'integer', origin: 'string', destination: 'string' } },
      eventTime: { column: 'date', format: '%Y/%m/%d %H:%M' },
      partitioning: { by: 'hour' },
    });
  });

  it('a Parquet slice of the flights: its timestamp column is the event time', async () => {
    const file = path.join(root, 'flights-slice.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    await conn.run(`COPY (SELECT * FROM read_parquet('${path.join(DATA, 'flights-3m.parquet')}') LIMIT 2000) TO '${file}' (FORMAT PARQUET)`);
    conn.closeSync();
    instance.closeSync();
    const { manifest, problems } = await generate({ name: 'flights_pq', from: file, eventTime: 'date' });
    expect(problems).toEqual([]);
    expect(manifest).toMatchObject({ raw: { format: 'parquet', columns: { date: 'string', delay: 'integer' } }, eventTime: { column: 'date', format: 'iso8601' }, partitioning: { by: 'hour' } });
  });

  it('writes the forecast settings, a target-missing rule, and never overwrites a folder', async () => {
    const dir = path.join(root, 'forecast', 'weather');
    await newDataset({ name: 'weather', from: path.join(DATA, 'seattle-weather.csv'), eventTime: 'date', forecast: { target: 'Temp_Max', groupBy: [], every: '1d', horizon: 7 }, dir });
    const manifest: unknown = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ forecast: { target: 'temp_max', groupBy: [], every: '1d', horizon: 7 }, quality: [{}, {}, { name: 'missing_target', predicate: 'temp_max IS NOT NULL' }] });
    await expect(newDataset({ name: 'weather', from: path.join(DATA, 'seattle-weather.csv'), eventTime: 'date', dir })).rejects.toThrow(`${dir} already exists and is not empty`);
    await writeFile(path.join(root, 'cut.csv.gz'), gzipSync((await readFile(path.join(DATA, 'seattle-weather.csv'), 'utf8')).slice(0, 5000)).subarray(0, 300));
    await writeFile(path.join(root, 'none.csv'), '');
    await expect(newDataset({ name: 'x', from: path.join(root, 'cut.csv.gz'), eventTime: 'date', dir: path.join(root, 'cut') })).rejects.toThrow(/cut\.csv\.gz: not valid gzip \(unexpected end of file\)$/);
    await expect(newDataset({ name: 'x', from: path.join(root, 'none.csv'), eventTime: 'date', dir: path.join(root, 'none') })).rejects.toThrow(/none\.csv: the file is empty$/);
    await mkdir(path.join(root, 'empty'));
    await expect(newDataset({ name: 'x', from: path.join(DATA, 'seattle-weather.csv'), eventTime: 'day', dir: path.join(root, 'empty') })).rejects.toThrow('--event-time "day" is not a column of seattle-weather.csv (columns: date, precipitation, temp_max, temp_min, wind, weather)');
  });
});
