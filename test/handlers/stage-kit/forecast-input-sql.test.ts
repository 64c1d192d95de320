import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { StepGrid } from '../../../handlers/forecast-model/step-grid';
import { QueryState, runQuery } from '../../../handlers/ports/query-engine';
import { readQueryRows } from '../../../handlers/stage-kit/read-query-rows';
import { DuckDbQueryEngine } from '../../../infra/emulators/query/duckdb-query-engine';
import { MapCatalog, PARQUET, RecordingBus, duckWrite } from '../../infra/emulators/query/query-fixtures';
import { parseDatasetManifest } from '../../../contracts/dataset-manifest';
import type { Dataset } from '../../../handlers/ports/dataset-store';
import { bindStatement } from '../../../handlers/sql/bind-sql';
import { forecastInputSource, forecastPieceInputSql } from '../../../handlers/stage-kit/forecast-input-sql';
import { translateSql } from '../../../infra/emulators/query/translate-sql';

function weather(forecast: unknown): Dataset {
  const manifest = parseDatasetManifest({
    name: 'weather',
    description: 'Daily weather per city.',
    raw: { format: 'csv' },
    eventTime: { column: 'date', format: 'iso8601' },
    partitioning: { by: 'day', keys: ['year', 'month', 'day'] },
    lookback: { minutes: 0 },
    quality: [],
    forecast,
    refine: { sql: 'refine.sql' },
  });
  return { manifest, refineSql: 'SELECT 1', views: [], files: { manifest: 'datasets/weather/manifest.json', refineSql: 'datasets/weather/refine.sql' } };
}

describe('forecastInputSource', () => {
  it('generates the input SELECT from the manifest: group-by columns as text, time, value, non-null targets in the window', async () => {
    const source = forecastInputSource(weather({ target: 'temp_max', groupBy: ['City'], every: '1d', horizon: 7 }), 'tributary_refined');
    expect(source.file).toBe('datasets/weather/manifest.json (forecast input generated from forecast.target, groupBy)');
    const sql = bindStatement(source, { window_start: '2024-01-02 00:00:00', window_end: '2024-01-04 00:00:00' });
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      await conn.run(`CREATE SCHEMA tributary_refined; CREATE TABLE tributary_refined.weather (city varchar, eventtime timestamp, temp_max double, station integer)`);
      await conn.run(`INSERT INTO tributary_refined.weather VALUES ('b', '2024-01-03 00:00:00', 7.5, 1), ('a', '2024-01-02 00:00:00', 3, 1), ('a', '2024-01-03 00:00:00', NULL, 1), ('a', '2024-01-04 00:00:00', 9, 1), ('a', '2024-01-01 00:00:00', 1, 1)`);
      const rows = (await conn.runAndReadAll(translateSql(sql).sql)).getRowObjectsJson();
      expect(rows).toEqual([
        { city: 'a', time: '2024-01-02 00:00:00', value: 3 },
        { city: 'b', time: '2024-01-03 00:00:00', value: 7.5 },
      ]);
    } finally {
      conn.closeSync();
    }
  });

  it('selects no group-by column for one series, and uses the manifest\'s inputSql when it names one', () => {
    const one = forecastInputSource(weather({ target: 'temp_max', groupBy: [], every: '1d', horizon: 7 }), 'tributary_refined');
    expect(one.sql.split('\n')[0]).toBe('SELECT CAST("eventtime" AS varchar) AS "time", CAST("temp_max" AS double) AS "value"');
    const own = { ...weather({ target: 'temp_max', groupBy: [], every: '1d', horizon: 7, inputSql: 'input.sql' }), forecastInputSql: 'SELECT 2', files: { manifest: 'm.json', refineSql: 'r.sql', forecastInputSql: 'datasets/weather/input.sql' } };
    expect(forecastInputSource(own, 'tributary_refined')).toEqual({ file: 'datasets/weather/input.sql', sql: 'SELECT 2' });
  });
});

describe('forecastPieceInputSql', () => {
  const hour = (h: number): number => Date.UTC(2024, 0, 1, h);
  const traffic = (every: string): Dataset => {
    const manifest = parseDatasetManifest({
      name: 'traffic', description: 'Readings per sensor.', raw: { format: 'jsonl' },
      eventTime: { column: 'ts', format: 'iso8601' }, partitioning: { by: 'hour', keys: ['year', 'month', 'day', 'hour'] },
      lookback: { minutes: 0 }, quality: [], forecast: { target: 'speed', groupBy: ['sensor'], every, horizon: 2 }, refine: { sql: 'refine.sql' },
    });
    return { manifest, refineSql: 'SELECT 1', views: [], files: { manifest: 'datasets/traffic/manifest.json', refineSql: 'datasets/traffic/refine.sql' } };
  };
  let home: string;
  let engine: DuckDbQueryEngine;
  beforeAll(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'forecast-input-'));
    const catalog = new MapCatalog();
    await catalog.createDatabase({ Name: 'tributary_refined' });
    await catalog.createTable('tributary_refined', {
      Name: 'traffic', TableType: 'EXTERNAL_TABLE', Parameters: { classification: 'parquet' },
      PartitionKeys: ['year', 'month', 'day', 'hour'].map((k) => ({ Name: k, Type: 'string' })),
      StorageDescriptor: { ...PARQUET, Location: 's3://tributary-refined/traffic/', Columns: [{ Name: 'sensor', Type: 'string' }, { Name: 'eventtime', Type: 'timestamp' }, { Name: 'speed', Type: 'int' }] },
    });
    // Hours 00 to 05 of 2024-01-01. The files of hours 00 and 05 are planted: they hold a reading of
    // sensor z timed inside the window 01:00-05:00, so a query that opens them shows z.
    const rows: Record<number, string> = { 1: `('a', '2024-01-01 01:10:00', 30), ('a', '2024-01-01 01:50:00', 10), ('b', '2024-01-01 01:20:00', NULL)`, 2: `('a', '2024-01-01 02:20:00', 40)`, 3: `('a', '2024-01-01 03:40:00', 50)`, 4: `('b', '2024-01-01 04:05:00', 7)` };
    for (let h = 0; h <= 5; h++) {
      const dir = path.join(home, 'lake', 'refined', 'traffic', 'year=2024', 'month=01', 'day=01', `hour=0${h}`);
      await fs.mkdir(dir, { recursive: true });
      const values = rows[h] ?? `('z', '2024-01-01 02:30:00', 99)`;
      await duckWrite(`COPY (SELECT sensor, CAST(eventtime AS timestamp) AS eventtime, CAST(speed AS integer) AS speed FROM (VALUES ${values}) t(sensor, eventtime, speed)) TO '${path.join(dir, 'part-0.parquet')}' (FORMAT parquet)`);
    }
    await catalog.batchCreatePartition('tributary_refined', 'traffic', [0, 1, 2, 3, 4, 5].map((h) => ({
      Values: ['2024', '01', '01', `0${h}`], StorageDescriptor: { ...PARQUET, Location: `s3://tributary-refined/traffic/year=2024/month=01/day=01/hour=0${h}/`, Columns: [] },
    })));
    // A double target in hour 06: values whose double sum depends on the order (1e15 + 0.1 loses the
    // 0.1), a NaN and an infinity, which no decimal holds, and one beyond the decimal's range.
    await catalog.createTable('tributary_refined', {
      Name: 'gauges', TableType: 'EXTERNAL_TABLE', Parameters: { classification: 'parquet' },
      PartitionKeys: ['year', 'month', 'day', 'hour'].map((k) => ({ Name: k, Type: 'string' })),
      StorageDescriptor: { ...PARQUET, Location: 's3://tributary-refined/gauges/', Columns: [{ Name: 'sensor', Type: 'string' }, { Name: 'eventtime', Type: 'timestamp' }, { Name: 'speed', Type: 'double' }] },
    });
    const gauges = path.join(home, 'lake', 'refined', 'gauges', 'year=2024', 'month=01', 'day=01', 'hour=06');
    await fs.mkdir(gauges, { recursive: true });
    await duckWrite(`COPY (SELECT 'g' AS sensor, TIMESTAMP '2024-01-01 06:10:00' + INTERVAL (i) MINUTE AS eventtime, v AS speed FROM (VALUES (0, 1e15::double), (1, 0.1::double), (2, -1e15::double), (3, 0.2::double), (4, 'nan'::double), (5, 'inf'::double), (6, 1e21::double)) t(i, v)) TO '${path.join(gauges, 'part-0.parquet')}' (FORMAT parquet)`);
    await catalog.batchCreatePartition('tributary_refined', 'gauges', [{ Values: ['2024', '01', '01', '06'], StorageDescriptor: { ...PARQUET, Location: 's3://tributary-refined/gauges/year=2024/month=01/day=01/hour=06/', Columns: [] } }]);
    engine = await DuckDbQueryEngine.create({ home, catalog, bus: new RecordingBus(), connections: 1 });
  });
  afterAll(async () => {
    await engine.close();
    await fs.rm(home, { recursive: true, force: true });
  });

  const run = async (sql: string): Promise<{ state: string; reason?: string; rows: Record<string, string | undefined>[] }> => {
    const execution = await runQuery(engine, { QueryString: sql, QueryExecutionContext: { Database: 'tributary_refined' } });
    return { state: execution.Status.State, reason: execution.Status.StateChangeReason ?? '', rows: execution.Status.State === QueryState.Succeeded ? await readQueryRows(engine, execution.QueryExecutionId) : [] };
  };

  it('reads only the partitions of the window (no other partition\'s file is opened): per series and step piece, the exact sum and count of its values', async () => {
    const sql = forecastPieceInputSql(traffic('2h'), 'tributary_refined', { from: hour(1), to: hour(5) }, new StepGrid('2h'));
    const { state, reason, rows } = await run(sql ?? '');
    expect(state === QueryState.Succeeded ? state : reason).toBe(QueryState.Succeeded);
    // A 2h step that crosses an hour partition has a piece on each side (01:00 of the 00:00 step, 03:00 of the 02:00 step).
    expect(rows.map((r) => ({ sensor: r.sensor, piece: new Date(Number(r.piece) * 1000).toISOString().slice(11, 16), sum: Number(r.sum), count: Number(r.count) }))).toEqual([
      { sensor: 'a', piece: '01:00', sum: 40, count: 2 },
      { sensor: 'a', piece: '02:00', sum: 40, count: 1 },
      { sensor: 'a', piece: '03:00', sum: 50, count: 1 },
      { sensor: 'b', piece: '04:00', sum: 7, count: 1 },
    ]);
    // The same window read as rows over the whole table opens the other partitions' files too.
    const whole = await run(bindStatement(forecastInputSource(traffic('2h'), 'tributary_refined'), { window_start: '2024-01-01 01:00:00', window_end: '2024-01-01 05:00:00' }));
    expect(whole.rows.filter((r) => r.sensor === 'z')).toHaveLength(2);
  });

  it('sums a piece exactly, whatever the order, and leaves out values no decimal holds (NaN, infinity, beyond ±1e20)', async () => {
    const gauges = { ...traffic('1h'), manifest: { ...traffic('1h').manifest, name: 'gauges' } };
    const { state, reason, rows } = await run(forecastPieceInputSql(gauges, 'tributary_refined', { from: hour(6), to: hour(7) }, new StepGrid('1h')) ?? '');
    expect(state === QueryState.Succeeded ? state : reason).toBe(QueryState.Succeeded);
    expect(rows.map((r) => ({ sensor: r.sensor, sum: Number(r.sum), count: Number(r.count) }))).toEqual([{ sensor: 'g', sum: 0.3, count: 4 }]);
  });

  it('names the partitions of the window by their keys, a day at a time', () => {
    const sql = forecastPieceInputSql(traffic('15m'), 'db', { from: Date.UTC(2024, 0, 1, 22), to: Date.UTC(2024, 0, 2, 2) }, new StepGrid('15m')) ?? '';
    expect(sql.split('\n')[2]).toBe(`WHERE (("year" = '2024' AND "month" = '01' AND "day" = '01' AND "hour" IN ('22', '23')) OR ("year" = '2024' AND "month" = '01' AND "day" = '02' AND "hour" IN ('00', '01')))`);
    expect(forecastPieceInputSql({ ...traffic('15m'), manifest: { ...traffic('15m').manifest, forecast: { target: 'speed', groupBy: [], every: '15m', horizon: 2, inputSql: 'input.sql' } } }, 'db', { from: 0, to: 1 }, new StepGrid('15m'))).toBeUndefined();
  });
});
