import { DuckDBInstance } from '@duckdb/node-api';
import { parseDatasetManifest } from '../../../contracts/dataset-manifest';
import type { Dataset } from '../../../handlers/ports/dataset-store';
import { bindStatement } from '../../../handlers/sql/bind-sql';
import { forecastInputSource } from '../../../handlers/stage-kit/forecast-input-sql';
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
