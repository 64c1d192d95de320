import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { translateSql } from '../../../infra/emulators/query/translate-sql';
import { trinoMacroStatements } from '../../../infra/emulators/query/trino-functions';

/**
 * Test harness: runs the Athena (Trino) SQL of sql/traffic on plain DuckDB with the fewest possible
 * translations — one macro (`from_iso8601_timestamp`), named placeholders bound as quoted literals,
 * and a `tributary_raw.traffic` view that reads the JSON lines as a Glue crawler would type them
 * (lower-cased columns) with no partition column: the dataset SQL must not depend on the key layout.
 */
export const SQL_DIR = path.join(__dirname, '..', '..', '..', 'sql', 'traffic');

/** A row as DuckDB returns it in JSON-friendly form. */
export type Row = Record<string, unknown>;

/**
 * Opens an in-memory DuckDB with the raw traffic table over `sampleDir/traffic/**.jsonl`. With
 * `engineShims`, installs the local Athena engine's Trino macros and integer division instead of the
 * one-macro minimum; pass such SQL through `translateSql` (see `engineSql`).
 */
export async function openTrafficDb(sampleDir: string, options: { engineShims?: boolean } = {}): Promise<DuckDBConnection> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run("SET TimeZone = 'UTC'");
  if (options.engineShims === true) {
    for (const statement of trinoMacroStatements()) await conn.run(statement);
    await conn.run('SET integer_division = true');
  } else {
    await conn.run('CREATE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)');
  }
  await conn.run('CREATE SCHEMA tributary_raw');
  await conn.run('CREATE SCHEMA tributary_refined');
  const glob = path.join(sampleDir, 'traffic', '**', '*.jsonl').replace(/'/g, "''");
  await conn.run(`CREATE VIEW tributary_raw.traffic AS SELECT
      "uniqueId" AS uniqueid, "recordTimestamp" AS recordtimestamp, "currentSpeed" AS currentspeed,
      bezettingsgraad, "previousSpeed" AS previousspeed,
      "trafficIntensityClass2" AS trafficintensityclass2, "trafficIntensityClass3" AS trafficintensityclass3,
      "trafficIntensityClass4" AS trafficintensityclass4, "trafficIntensityClass5" AS trafficintensityclass5,
      filename AS "$path"
    FROM read_json('${glob}', format = 'newline_delimited', filename = true, columns = {
      uniqueId: 'VARCHAR', recordTimestamp: 'VARCHAR', currentSpeed: 'BIGINT', bezettingsgraad: 'BIGINT',
      previousSpeed: 'BIGINT', trafficIntensityClass2: 'BIGINT', trafficIntensityClass3: 'BIGINT',
      trafficIntensityClass4: 'BIGINT', trafficIntensityClass5: 'BIGINT'})`);
  return conn;
}

/** The database names the dataset SQL binds as identifiers (the default prefix's, as the schemas above). */
const DATABASES = { raw_database: { sql: 'tributary_raw' }, refined_database: { sql: 'tributary_refined' } };

/** A placeholder's value: a literal, or (for a list placeholder such as `IN (:objects)`) SQL text that yields the list. */
type HarnessValue = string | number | { readonly sql: string };

/** Reads a statement of sql/traffic (relative path) and binds its `:name` placeholders as literals. */
export async function boundSql(file: string, params: Readonly<Record<string, HarnessValue>> = {}): Promise<string> {
  const text = await fs.readFile(path.join(SQL_DIR, file), 'utf8');
  const body = text.split('\n').filter((line) => !line.trimStart().startsWith('--')).join('\n');
  const withDatabases: Readonly<Record<string, HarnessValue>> = { ...DATABASES, ...params };
  return body.replace(/:([a-z_]+)\b/g, (_, name: string) => {
    const value = withDatabases[name];
    if (value === undefined) throw new Error(`${file}: no value bound for :${name}`);
    if (typeof value === 'object') return value.sql;
    return typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`;
  });
}

/** `:objects` for "every raw object": what the pipeline narrows to the overlapping ones, these tests read whole. */
export const EVERY_OBJECT = { sql: 'SELECT "$path" FROM tributary_raw.traffic' };

/** Runs a query and returns its rows (timestamps as text 'YYYY-MM-DD HH:MM:SS'). */
export async function rows(conn: DuckDBConnection, sql: string): Promise<Row[]> {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowObjectsJson() as Row[];
}

/** The refine SELECT for event hours [start, end) ('YYYY-MM-DD HH:00:00') with a lookback. */
export function refineSql(start: string, end: string, lookbackMinutes = 30): Promise<string> {
  return boundSql('refine.sql', { window_start: start, window_end: end, lookback_minutes: lookbackMinutes, objects: EVERY_OBJECT });
}

/** Athena SQL as the local query engine would run it: translated to DuckDB by its translator. */
export function engineSql(athenaSql: string): string {
  return translateSql(athenaSql).sql;
}
