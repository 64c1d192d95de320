import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseDatasetManifest, type DatasetManifest } from '../../../../contracts/dataset-manifest';
import { DuckDbRawFileInspector, inspectWithDuckDb as inspectRawFile } from '../../../../infra/local/inspect/duckdb-raw-file-inspector';
import { rawFileInspectorContract } from '../../../handlers/ports/raw-file-inspector.contract';
import { PoisonInputError } from '../../../../handlers/stage-kit/stage-error';
import { SchemaDriftError } from '../../../../handlers/stage-kit/declared-columns';
import manifestJson from '../../../../sql/traffic/manifest.json';
import { tempDirs } from '../../../integration/pipeline-harness';

const traffic = parseDatasetManifest(manifestJson);
const VEGA = path.join(__dirname, '../../../../node_modules/vega-datasets/data');
const line = (o: Record<string, unknown>) => JSON.stringify({ uniqueId: 'S1', recordTimestamp: '2026-01-05T10:00:00.000Z', currentSpeed: 80, ...o });
const manifestOf = (raw: unknown, eventTime: unknown, by: 'day' | 'month' | 'hour' = 'day'): DatasetManifest =>
  parseDatasetManifest({
    ...manifestJson,
    name: 'sample',
    raw,
    eventTime,
    partitioning: { by, keys: ['year', 'month', 'day', 'hour'].slice(0, by === 'month' ? 2 : by === 'day' ? 3 : 4) },
    forecast: undefined,
  });
const expectPoison = async (key: string, body: Buffer | string, manifest: DatasetManifest, reason: RegExp): Promise<void> => {
  const inspect = inspectRawFile(key, Buffer.from(body), manifest);
  await expect(inspect).rejects.toThrow(PoisonInputError);
  await expect(inspectRawFile(key, Buffer.from(body), manifest)).rejects.toThrow(reason);
};

describe('inspectRawFile (DuckDB)', () => {
  const tempDir = tempDirs();

  it('counts JSON lines and finds the event-time range, ignoring unparseable times and blank lines', async () => {
    const body = [line({ recordTimestamp: '2026-01-05T10:30:00.000Z' }), '', line({ recordTimestamp: 'not-a-time' }), line({ recordTimestamp: '2026-01-05T09:15:00.000+00:00' })].join('\n');
    await expect(inspectRawFile('traffic/a.jsonl', Buffer.from(body), traffic)).resolves.toMatchObject({
      records: 3,
      eventTimeRange: { from: '2026-01-05T09:15:00.000Z', to: '2026-01-05T10:30:00.000Z' },
    });
  });

  it('accepts missing and null values: those rows go to the rejects table, not the file to quarantine', async () => {
    expect((await inspectRawFile('traffic/a.jsonl', Buffer.from(`${line({ currentSpeed: null })}\n${line({ uniqueId: undefined })}`), traffic)).records).toBe(2);
  });

  it('reads gzip-compressed JSON lines (.jsonl.gz)', async () => {
    const body = zlib.gzipSync([line({}), line({ recordTimestamp: '2026-01-05T11:59:00Z' })].join('\n'));
    await expect(inspectRawFile('traffic/a.jsonl.gz', body, traffic)).resolves.toMatchObject({ records: 2, eventTimeRange: { from: '2026-01-05T10:00:00.000Z', to: '2026-01-05T11:59:00.000Z' } });
  });

  it('reads a daily CSV with a header (seattle-weather), date-only ISO times', async () => {
    const csv = readFileSync(path.join(VEGA, 'seattle-weather.csv'), 'utf8').split('\n').slice(0, 41).join('\n');
    const manifest = manifestOf({ format: 'csv', columns: { date: 'string', precipitation: 'number', temp_max: 'number', weather: 'string' } }, { column: 'date', format: 'iso8601' });
    await expect(inspectRawFile('sample/weather.csv', Buffer.from(csv), manifest)).resolves.toMatchObject({ records: 40, eventTimeRange: { from: '2012-01-01T00:00:00.000Z', to: '2012-02-09T00:00:00.000Z' } });
    await expect(inspectRawFile('sample/weather.csv.gz', zlib.gzipSync(csv), manifest)).resolves.toMatchObject({ records: 40 });
  });

  it('reads a CSV without header, with another delimiter, quotes (doubled inside, a newline) and a strptime day-first time', async () => {
    const csv = ['"Ghent; centre";31/01/2012 13:45;4', 'Antwerp;01/02/2012 00:05;5', 'Leuven;garbage;6', '"Mechelen ""north""\nring";01/02/2012 00:01;7', ''].join('\n');
    const manifest = manifestOf({ format: 'csv', csv: { header: false, delimiter: ';' }, columns: { col2: 'integer' } }, { column: 'col1', format: '%d/%m/%Y %H:%M' });
    await expect(inspectRawFile('sample/a.csv', Buffer.from(csv), manifest)).resolves.toMatchObject({ records: 4, eventTimeRange: { from: '2012-01-31T13:45:00.000Z', to: '2012-02-01T00:05:00.000Z' } });
  });

  it('reads a JSON array of objects (flights) with a strptime time', async () => {
    const flights = JSON.parse(readFileSync(path.join(VEGA, 'flights-2k.json'), 'utf8')) as unknown[];
    const manifest = manifestOf({ format: 'json', columns: { date: 'string', delay: 'integer', origin: 'string' } }, { column: 'date', format: '%Y/%m/%d %H:%M' }, 'hour');
    const facts = await inspectRawFile('sample/flights.json', Buffer.from(JSON.stringify(flights.slice(0, 50))), manifest);
    expect(facts).toMatchObject({ records: 50, eventTimeRange: { from: '2001-01-01T06:55:00.000Z', to: expect.stringMatching(/^2001-0/) } });
  });

  it('reads Parquet (flights-3m slice) with a TIMESTAMP event-time column, and epoch times in JSON lines', async () => {
    const dir = await tempDir('inspect-');
    const file = path.join(dir, 'flights.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(`COPY (SELECT * FROM read_parquet('${path.join(VEGA, 'flights-3m.parquet')}') LIMIT 500) TO '${file}' (FORMAT parquet)`);
    c.closeSync();
    const manifest = manifestOf({ format: 'parquet', columns: { delay: 'integer', distance: 'number', origin: 'string' } }, { column: 'date', format: 'iso8601' }, 'hour');
    await expect(inspectRawFile('sample/f.parquet', readFileSync(file), manifest)).resolves.toMatchObject({ records: 500, eventTimeRange: { from: '2001-01-01T00:01:00.000Z', to: expect.stringMatching(/^2001-01-01T/) } });
    const epochs = manifestOf({ format: 'jsonl' }, { column: 'ts', format: 'epoch_millis' });
    await expect(inspectRawFile('sample/e.jsonl', Buffer.from('{"ts":1325376000123}\n{"ts":"1325462400000"}\n{"ts":null}\n'), epochs)).resolves.toMatchObject({ records: 3, eventTimeRange: { from: '2012-01-01T00:00:00.123Z', to: '2012-01-02T00:00:00.000Z' } });
  });

  it.each([
    ['traffic/a.csv', line({}), /unsupported file type for dataset traffic: traffic\/a\.csv \(expected jsonl/],
    ['traffic/a.jsonl', '', /file is empty: traffic\/a\.jsonl/],
    ['traffic/a.jsonl', '\n\n', /file has no records: traffic\/a\.jsonl/],
    ['traffic/a.jsonl', `${line({})}\n{oops`, /traffic\/a\.jsonl is not valid JSON lines: line 2 is not valid JSON/],
    ['traffic/a.jsonl', '[1,2]', /traffic\/a\.jsonl is not valid JSON lines: .*non-record JSON/],
    ['traffic/a.jsonl.gz', 'not gzip at all', /traffic\/a\.jsonl\.gz is not valid JSON lines/],
  ])('quarantines %s with a reason naming the problem (%#)', async (key, body, reason) => {
    await expectPoison(key, body, traffic, reason);
  });

  it.each([
    ['traffic/a.jsonl', `${line({})}\n${line({ currentSpeed: 'fast' })}`, /schema change in traffic\/a\.jsonl: column currentSpeed is string \(record 2: "fast"\), declared integer/],
    ['traffic/a.jsonl', line({ currentSpeed: 80.5 }), /schema change in traffic\/a\.jsonl: column currentSpeed is number \(record 1: 80\.5\), declared integer/],
  ])('sets %s aside as a schema change when a declared column holds another type (%#)', async (key, body, reason) => {
    await expect(inspectRawFile(key, Buffer.from(body), traffic)).rejects.toThrow(SchemaDriftError);
    await expect(inspectRawFile(key, Buffer.from(body), traffic)).rejects.toThrow(reason);
  });

  it('quarantines a JSON line larger than the query engine reads (DuckDB\'s default largest object), where the refine would fail on it', async () => {
    const big = line({ note: 'x'.repeat(40 * 1024 * 1024) });
    await expectPoison('traffic/big.jsonl', `${line({})}\n${big}\n`, traffic, /traffic\/big\.jsonl is not valid JSON lines: .*maximum_object_size/);
  });

  it('quarantines a file that is not the declared format: not Parquet, JSON lines for a JSON-array dataset', async () => {
    await expectPoison('sample/x.parquet', 'PAR1 but not really', manifestOf({ format: 'parquet' }, { column: 'date' }), /sample\/x\.parquet is not valid Parquet/);
    await expectPoison('sample/x.json', '{"date":"2012-01-01"}\n{"date":"2012-01-02"}\n', manifestOf({ format: 'json' }, { column: 'date' }), /sample\/x\.json is not valid JSON \(an array of objects\)/);
    const csv = manifestOf({ format: 'csv' }, { column: 'date' });
    await expectPoison('sample/x.csv.gz', zlib.gzipSync('date,wind\n2012-01-01,3\n'.repeat(50)).subarray(0, 40), csv, /^sample\/x\.csv\.gz is not valid CSV: not valid gzip \(unexpected end of file\)$/);
    await expect(inspectRawFile('sample/x.csv', Buffer.from('date,wind\n2012-01-01,fast\n'), manifestOf({ format: 'csv', columns: { wind: 'number' } }, { column: 'date' }))).rejects.toThrow(/schema change in sample\/x\.csv: column wind is string \(record 1: fast\), declared number/);
  });
});

rawFileInspectorContract('DuckDB (embedded)', () => new DuckDbRawFileInspector());
