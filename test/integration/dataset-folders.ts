import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DatasetManifest } from '../../contracts/dataset-manifest';
import { FolderDatasetStore } from '../../infra/datasets/folder-dataset-store';
import type { EmbeddedRuntime } from '../../infra/local/runtime/embedded-runtime';
import { columnSql, eventTimeSql } from '../../handlers/stage-kit/event-time-sql';

/** The public data sets of the vega-datasets dev dependency. */
export const VEGA_DATA = path.join(__dirname, '..', '..', 'node_modules', 'vega-datasets', 'data');

/** A dataset folder to write: manifest plus the raw columns the refine keeps (names as catalogued) and the rejects rules. */
export interface DatasetSpec {
  readonly manifest: DatasetManifest;
  /** Catalogued raw columns the refine and rejects keep, in order. */
  readonly columns: readonly string[];
  /** Reject reasons, first match wins: [reason, SQL predicate over a raw row that is true for a bad row]. */
  readonly rejects: readonly (readonly [string, string])[];
}

const KEY_SQL: Readonly<Record<string, string>> = {
  year: "lpad(CAST(year(eventtime) AS varchar), 4, '0') AS year",
  month: "lpad(CAST(month(eventtime) AS varchar), 2, '0') AS month",
  day: "lpad(CAST(day(eventtime) AS varchar), 2, '0') AS day",
  hour: "lpad(CAST(hour(eventtime) AS varchar), 2, '0') AS hour",
};

/**
 * A dataset's refine SQL following sql/traffic's conventions: the kept columns and `eventtime` (from
 * `eventTimeSql`), `source_object`, `duplicate_objects` (NULL: these data sets have no duplicates),
 * then the partition keys (zero-padded varchar, UTC), for the valid rows of the window.
 */
export function refineSqlOf(spec: DatasetSpec): string {
  const { manifest } = spec;
  const cols = spec.columns.map(columnSql);
  const invalid = spec.rejects.map(([, predicate]) => `(${predicate})`).join(' OR ');
  return [
    `-- Purpose: refine ${manifest.name} (test dataset) into ${manifest.partitioning.by} partitions of its event time.`,
    '-- Dialect: Athena engine v3 (Trino). Parameters: :window_start, :window_end, :lookback_minutes, :objects.',
    'WITH parsed AS (',
    `  SELECT r.*, ${eventTimeSql(`r.${columnSql(manifest.eventTime.column)}`, manifest.eventTime.format)} AS eventtime, r."$path" AS source_object`,
    `  FROM tributary_raw.${manifest.name} r`,
    '  WHERE r."$path" IN (:objects)',
    ')',
    `SELECT ${[...cols, 'eventtime', 'source_object', 'CAST(NULL AS array(varchar)) AS duplicate_objects', ...manifest.partitioning.keys.map((k) => KEY_SQL[k] ?? k)].join(', ')}`,
    'FROM parsed',
    `WHERE NOT coalesce(${invalid === '' ? 'false' : invalid}, false)`,
    '  AND eventtime >= CAST(:window_start AS timestamp) AND eventtime < CAST(:window_end AS timestamp)',
    '  AND :lookback_minutes >= 0',
    '',
  ].join('\n');
}

/** A dataset's rejects SQL following sql/traffic/rejects.sql: the kept columns, `source_object`, `reason`. */
export function rejectsSqlOf(spec: DatasetSpec): string {
  const cols = spec.columns.map(columnSql);
  const reasons = spec.rejects.map(([reason, predicate]) => `WHEN coalesce(${predicate}, false) THEN '${reason}'`).join(' ');
  return [
    `SELECT ${[...cols, 'source_object', 'reason'].join(', ')}`,
    'FROM (',
    `  SELECT r.*, r."$path" AS source_object, CASE ${reasons} END AS reason`,
    `  FROM tributary_raw.${spec.manifest.name} r`,
    '  WHERE r."$path" IN (:objects)',
    ') classified',
    'WHERE reason IS NOT NULL',
    '',
  ].join('\n');
}

/** Writes `<dir>/<name>/` with the manifest, refine.sql and rejects.sql. */
export async function writeDatasetFolder(dir: string, spec: DatasetSpec): Promise<void> {
  const folder = path.join(dir, spec.manifest.name);
  await fs.mkdir(folder, { recursive: true });
  await fs.writeFile(path.join(folder, 'manifest.json'), `${JSON.stringify(spec.manifest, null, 2)}\n`);
  await fs.writeFile(path.join(folder, 'refine.sql'), refineSqlOf(spec));
  await fs.writeFile(path.join(folder, 'rejects.sql'), rejectsSqlOf(spec));
}

/**
 * Makes the runtime's dataset store also find the datasets under `dir` (checked first), by wrapping
 * its two methods: the runtime reads datasets from the repository's sql/ folder only.
 */
export function addDatasetFolder(rt: EmbeddedRuntime, dir: string): void {
  const extra = new FolderDatasetStore(dir);
  const store = rt.deps.datasets;
  const list = store.listDatasets.bind(store);
  const get = store.getDataset.bind(store);
  jest.spyOn(store, 'listDatasets').mockImplementation(async () => [...new Set([...(await extra.listDatasets()), ...(await list())])].sort());
  jest.spyOn(store, 'getDataset').mockImplementation(async (name) => (await extra.getDataset(name)) ?? get(name));
}

/** Runs one DuckDB statement on a scratch database (writing test files). */
export async function duckRun(sql: string): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    await c.run(sql);
  } finally {
    c.closeSync();
  }
}
