import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseDatasetManifest, type DatasetManifest } from '../../../contracts/dataset-manifest';
import type { RawFileInspector } from '../../../handlers/ports/raw-file-inspector';
import { SchemaDriftError } from '../../../handlers/stage-kit/declared-columns';
import { PoisonInputError } from '../../../handlers/stage-kit/stage-error';
import manifestJson from '../../../sql/traffic/manifest.json';

const traffic = parseDatasetManifest(manifestJson);
const VEGA = path.join(__dirname, '../../../node_modules/vega-datasets/data');
const line = (o: Record<string, unknown>): string => JSON.stringify({ uniqueId: 'S1', recordTimestamp: '2026-01-05T10:00:00.000Z', currentSpeed: 80, ...o });
const manifestOf = (raw: unknown, eventTime: unknown, by: 'day' | 'month' | 'hour' = 'day'): DatasetManifest =>
  parseDatasetManifest({
    ...manifestJson,
    name: 'sample',
    raw,
    eventTime,
    partitioning: { by, keys: ['year', 'month', 'day', 'hour'].slice(0, by === 'month' ? 2 : by === 'day' ? 3 : 4) },
    forecast: undefined,
  });

/** A Parquet slice of the vega flights (500 rows, a TIMESTAMP `date`), written once by DuckDB. */
async function flightsParquet(): Promise<Buffer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'inspect-contract-'));
  const file = path.join(dir, 'flights.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    await c.run(`COPY (SELECT * FROM read_parquet('${path.join(VEGA, 'flights-3m.parquet')}') LIMIT 500) TO '${file}' (FORMAT parquet)`);
    return readFileSync(file);
  } finally {
    c.closeSync();
    db.closeSync();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * The RawFileInspector contract: on the same fixture files (slices of the vega-datasets data and
 * small hand-made lines), every realisation's inspector gives the same records and event-time range,
 * quarantines the same files (PoisonInputError) and sets aside the same schema changes
 * (SchemaDriftError). The embedded DuckDB inspector and the AWS one (pure JavaScript) both run it.
 */
export function rawFileInspectorContract(name: string, inspector: () => RawFileInspector): void {
  describe(`RawFileInspector contract: ${name}`, () => {
    const inspect = (key: string, body: Buffer | string, manifest: DatasetManifest) => inspector().inspect(key, Buffer.from(body), manifest);
    const expectPoison = async (key: string, body: Buffer | string, manifest: DatasetManifest, reason: RegExp): Promise<void> => {
      const failed = await inspect(key, body, manifest).then(() => undefined, (err: unknown) => err);
      expect(failed).toBeInstanceOf(PoisonInputError);
      expect(failed instanceof Error ? failed.message : '').toMatch(reason);
    };

    it('JSON lines: records, the event-time range (offsets honoured, unparseable times and blank lines skipped), gzip, epoch times', async () => {
      const body = [line({ recordTimestamp: '2026-01-05T10:30:00.000Z' }), '', line({ recordTimestamp: 'not-a-time' }), line({ recordTimestamp: '2026-01-05T10:15:00.000+01:00' })].join('\n');
      await expect(inspect('traffic/a.jsonl', body, traffic)).resolves.toMatchObject({ records: 3, eventTimeRange: { from: '2026-01-05T09:15:00.000Z', to: '2026-01-05T10:30:00.000Z' } });
      expect((await inspect('traffic/a.jsonl', `${line({ currentSpeed: null })}\n${line({ uniqueId: undefined })}`, traffic)).records).toBe(2);
      const gz = zlib.gzipSync([line({}), line({ recordTimestamp: '2026-01-05T11:59:00Z' })].join('\n'));
      await expect(inspect('traffic/a.jsonl.gz', gz, traffic)).resolves.toMatchObject({ records: 2, eventTimeRange: { from: '2026-01-05T10:00:00.000Z', to: '2026-01-05T11:59:00.000Z' } });
      const epochs = manifestOf({ format: 'jsonl' }, { column: 'ts', format: 'epoch_millis' });
      await expect(inspect('sample/e.jsonl', '{"ts":1325376000123}\n{"ts":"1325462400000"}\n{"ts":null}\n', epochs)).resolves.toMatchObject({ records: 3, eventTimeRange: { from: '2012-01-01T00:00:00.123Z', to: '2012-01-02T00:00:00.000Z' } });
    });

    it('CSV with a header (seattle-weather, date-only times), plain and gzip', async () => {
      const csv = readFileSync(path.join(VEGA, 'seattle-weather.csv'), 'utf8').split('\n').slice(0, 41).join('\n');
      const manifest = manifestOf({ format: 'csv', columns: { date: 'string', precipitation: 'number', temp_max: 'number', weather: 'string' } }, { column: 'date', format: 'iso8601' });
      const range = { from: '2012-01-01T00:00:00.000Z', to: '2012-02-09T00:00:00.000Z' };
      await expect(inspect('sample/weather.csv', csv, manifest)).resolves.toMatchObject({ records: 40, eventTimeRange: range });
      await expect(inspect('sample/weather.csv.gz', zlib.gzipSync(csv), manifest)).resolves.toMatchObject({ records: 40, eventTimeRange: range });
    });

    it('CSV without header, another delimiter, quotes and a strptime day-first time', async () => {
      const csv = ['"Ghent; centre";31/01/2012 13:45;4', 'Antwerp;01/02/2012 00:05;5', 'Leuven;garbage;6', ''].join('\n');
      const manifest = manifestOf({ format: 'csv', csv: { header: false, delimiter: ';' }, columns: { col2: 'integer' } }, { column: 'col1', format: '%d/%m/%Y %H:%M' });
      await expect(inspect('sample/a.csv', csv, manifest)).resolves.toMatchObject({ records: 3, eventTimeRange: { from: '2012-01-31T13:45:00.000Z', to: '2012-02-01T00:05:00.000Z' } });
    });

    it('a JSON array of objects (flights) with a strptime time', async () => {
      const flights = (JSON.parse(readFileSync(path.join(VEGA, 'flights-2k.json'), 'utf8')) as unknown[]).slice(0, 50);
      const manifest = manifestOf({ format: 'json', columns: { date: 'string', delay: 'integer', origin: 'string' } }, { column: 'date', format: '%Y/%m/%d %H:%M' }, 'hour');
      const facts = await inspect('sample/flights.json', JSON.stringify(flights), manifest);
      expect(facts).toMatchObject({ records: 50, eventTimeRange: { from: '2001-01-01T06:55:00.000Z', to: '2001-01-03T08:03:00.000Z' } });
    });

    it('Parquet (flights-3m slice) with a TIMESTAMP event-time column: rows from the footer, the range from the column', async () => {
      const manifest = manifestOf({ format: 'parquet', columns: { delay: 'integer', distance: 'number', origin: 'string' } }, { column: 'date', format: 'iso8601' }, 'hour');
      const facts = await inspect('sample/f.parquet', await flightsParquet(), manifest);
      expect(facts).toMatchObject({ records: 500, eventTimeRange: { from: '2001-01-01T00:01:00.000Z', to: '2001-01-01T06:26:00.000Z' } });
      expect(facts.columns?.map((c) => c.name)).toEqual(['date', 'delay', 'distance', 'origin', 'destination']);
    });

    it.each([
      ['traffic/a.csv', line({}), /unsupported file type for dataset traffic: traffic\/a\.csv \(expected jsonl/],
      ['traffic/a.jsonl', '', /file is empty: traffic\/a\.jsonl/],
      ['traffic/a.jsonl', '\n\n', /file has no records: traffic\/a\.jsonl/],
      ['traffic/a.jsonl', `${line({})}\n{oops`, /traffic\/a\.jsonl is not valid JSON lines: line 2 is not valid JSON/],
      ['traffic/a.jsonl', '[1,2]', /traffic\/a\.jsonl is not valid JSON lines/],
      ['traffic/a.jsonl.gz', 'not gzip at all', /traffic\/a\.jsonl\.gz is not valid JSON lines/],
    ])('quarantines %s with a reason naming the problem (%#)', async (key, body, reason) => {
      await expectPoison(key, body, traffic, reason);
    });

    it('quarantines a file that is not the declared format: not Parquet, JSON lines for a JSON-array dataset, a CSV.gz that is not gzip, a binary file named .csv', async () => {
      await expectPoison('sample/x.parquet', 'PAR1 but not really', manifestOf({ format: 'parquet' }, { column: 'date' }), /sample\/x\.parquet is not valid Parquet/);
      await expectPoison('sample/x.json', '{"date":"2012-01-01"}\n{"date":"2012-01-02"}\n', manifestOf({ format: 'json' }, { column: 'date' }), /sample\/x\.json is not valid JSON \(an array of objects\)/);
      await expectPoison('sample/x.csv.gz', 'date,wind\n', manifestOf({ format: 'csv' }, { column: 'date' }), /sample\/x\.csv\.gz is not valid CSV/);
      await expectPoison('sample/x.csv', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0x2c, 0x0a, 0x2c, 0x0a]), manifestOf({ format: 'csv' }, { column: 'date' }), /^sample\/x\.csv is not valid CSV: it holds binary data \(a NUL byte at byte 7\)$/);
    });

    it.each([
      ['traffic/a.jsonl', `${line({})}\n${line({ currentSpeed: 'fast' })}`, traffic, /schema change in traffic\/a\.jsonl: column currentSpeed is string \(record 2: "fast"\), declared integer/],
      ['traffic/a.jsonl', line({ currentSpeed: 80.5 }), traffic, /schema change in traffic\/a\.jsonl: column currentSpeed is number \(record 1: 80\.5\), declared integer/],
      ['sample/x.csv', 'date,wind\n2012-01-01,fast\n', manifestOf({ format: 'csv', columns: { wind: 'number' } }, { column: 'date' }), /schema change in sample\/x\.csv: column wind is string \(record 1: fast\), declared number/],
    ])('sets %s aside as a schema change when a declared column holds another type (%#)', async (key, body, manifest, reason) => {
      const failed = await inspect(key, body, manifest).then(() => undefined, (err: unknown) => err);
      expect(failed).toBeInstanceOf(SchemaDriftError);
      expect(failed instanceof Error ? failed.message : '').toMatch(reason);
    });
  });
}
