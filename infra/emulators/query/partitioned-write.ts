import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { forEachLimited } from '../../../handlers/stage-kit/for-each-limited';
import { AthenaErrorName, AthenaQueryError } from './athena-query-error';
import { sqlIdentifier, sqlLiteral } from './sql-quote';

/** Athena's cap on distinct partitions (open writers) one INSERT/CTAS/UNLOAD may write. */
export const MAX_OPEN_PARTITIONS = 100;

/** The folder name Hive (and DuckDB) give a NULL partition value. */
const HIVE_NULL = '__HIVE_DEFAULT_PARTITION__';
/** Staged files renamed into place at once. */
const MOVES_IN_FLIGHT = 8;

/** What to write: a SELECT whose last columns are the partition keys, and where. */
export interface WriteRequest {
  /** DuckDB SQL producing the rows, data columns first, partition columns last. */
  readonly select: string;
  readonly partitionKeys: readonly string[];
  /** Local folder the files go under (created if missing). */
  readonly targetDir: string;
  /** Local folder for staging, on the same file system as the target (renames must be atomic). */
  readonly stagingDir: string;
  readonly format: 'parquet' | 'json';
  readonly compression: string;
  /** File name stem, unique per query, so a write never overwrites an earlier one (Athena never does). */
  readonly fileStem: string;
}

/** What was written: row count and, per partition, its values and folder relative to the target. */
export interface WriteResult {
  readonly rows: number;
  readonly partitions: readonly { readonly values: readonly string[]; readonly relativeDir: string }[];
  readonly files: readonly string[];
}

/**
 * Writes the rows of a SELECT as files, hive-partitioned (`k=v` folders, partition columns not
 * repeated inside the files), all or nothing: one COPY streams the rows into a staging folder, the
 * distinct partitions it wrote are counted (more than 100 fails with HIVE_TOO_MANY_OPEN_PARTITIONS and
 * the staging folder is discarded), and only then are the files renamed into place. A failure leaves
 * the target as it was. The rows are not materialised first, so the write costs what a bare COPY costs
 * (except partitioned JSON, which DuckDB's COPY cannot partition: see copyJsonPartitions).
 */
export async function writePartitioned(connection: DuckDBConnection, request: WriteRequest): Promise<WriteResult> {
  const stage = path.join(request.stagingDir, request.fileStem);
  await fs.mkdir(stage, { recursive: true });
  try {
    const partitioned = request.partitionKeys.length > 0;
    const rows = partitioned && request.format === 'json' ? await copyJsonPartitions(connection, request, stage) : await copyOnce(connection, request, stage);
    if (rows === 0) return { rows: 0, partitions: [], files: [] };
    const staged = await listFiles(stage);
    const dirs = [...new Set(staged.map((f) => path.dirname(f)))].filter((d) => d !== '.').sort();
    if (dirs.length > MAX_OPEN_PARTITIONS) {
      throw tooManyPartitions();
    }
    // One file per partition, each its own folder: the renames are independent, so a few go at once.
    await forEachLimited(staged, MOVES_IN_FLIGHT, async (relative) => {
      const destination = path.join(request.targetDir, relative);
      await fs.mkdir(path.dirname(destination), { recursive: true });
      await fs.rename(path.join(stage, relative), destination);
    });
    const partitions = partitioned ? dirs.map((relativeDir) => ({ relativeDir: relativeDir.split(path.sep).join('/'), values: valuesOf(relativeDir) })) : [];
    return { rows, partitions, files: staged.map((f) => path.join(request.targetDir, f)) };
  } finally {
    await fs.rm(stage, { recursive: true, force: true });
  }
}

/** One COPY of the SELECT into the staging folder (hive folders when partitioned); returns the row count. */
async function copyOnce(connection: DuckDBConnection, request: WriteRequest, stage: string): Promise<number> {
  const partitioned = request.partitionKeys.length > 0;
  const options = [
    `FORMAT ${request.format}`,
    request.format === 'parquet' ? `COMPRESSION ${request.compression}` : undefined,
    partitioned ? `PARTITION_BY (${request.partitionKeys.map(sqlIdentifier).join(', ')})` : undefined,
    partitioned ? `FILENAME_PATTERN ${sqlLiteral(`${request.fileStem}_{i}`)}` : undefined,
  ].filter((o): o is string => o !== undefined);
  const target = partitioned ? stage : path.join(stage, `${request.fileStem}_0.${request.format}`);
  const reader = await connection.runAndReadAll(`COPY (${request.select}\n) TO ${sqlLiteral(target)} (${options.join(', ')})`);
  return Number(reader.getRows()[0]?.[0] ?? 0);
}

/**
 * Partitioned JSON, which DuckDB's COPY does not partition: the rows are materialised once, then
 * each distinct partition (at most 100, as above) is copied to its own hive folder, with NULL values
 * under `__HIVE_DEFAULT_PARTITION__` and other values escaped as folder names. Returns the row count.
 */
async function copyJsonPartitions(connection: DuckDBConnection, request: WriteRequest, stage: string): Promise<number> {
  const temp = sqlIdentifier(`__write_${request.fileStem}`);
  const keys = request.partitionKeys.map(sqlIdentifier);
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${temp} AS ${request.select}`);
  try {
    const asText = keys.map((k) => `CAST(${k} AS VARCHAR)`);
    const partitions = (await connection.runAndReadAll(`SELECT DISTINCT ${asText.join(', ')} FROM ${temp}`)).getRows();
    if (partitions.length > MAX_OPEN_PARTITIONS) {
      throw tooManyPartitions();
    }
    let rows = 0;
    for (const values of partitions) {
      const text = values.map((v) => (v === null ? null : String(v)));
      const where = asText.map((k, i) => `${k} IS NOT DISTINCT FROM ${text[i] === null ? 'NULL' : sqlLiteral(text[i] ?? '')}`).join(' AND ');
      const dir = path.join(stage, ...request.partitionKeys.map((k, i) => `${k}=${text[i] === null ? HIVE_NULL : encodeURIComponent(text[i] ?? '')}`));
      await fs.mkdir(dir, { recursive: true });
      const out = await connection.runAndReadAll(`COPY (SELECT * EXCLUDE (${keys.join(', ')}) FROM ${temp} WHERE ${where}) TO ${sqlLiteral(path.join(dir, `${request.fileStem}_0.json`))} (FORMAT json)`);
      rows += Number(out.getRows()[0]?.[0] ?? 0);
    }
    return rows;
  } finally {
    await connection.run(`DROP TABLE IF EXISTS ${temp}`);
  }
}

/** Athena's error for a write to more than 100 partitions. */
function tooManyPartitions(): AthenaQueryError {
  return new AthenaQueryError(AthenaErrorName.TooManyOpenPartitions, `Exceeded limit of ${MAX_OPEN_PARTITIONS} open writers for partitions/buckets`);
}

/** Partition values from hive folder names (`k=v/k2=v2`), URL-decoded as DuckDB and Hive escape them. */
function valuesOf(relativeDir: string): string[] {
  return relativeDir.split(path.sep).map((segment) => {
    const value = segment.slice(segment.indexOf('=') + 1);
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  });
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await fs.readdir(path.join(dir, prefix), { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => {
    const relative = path.join(prefix, entry.name);
    return entry.isDirectory() ? listFiles(dir, relative) : Promise.resolve([relative]);
  }));
  return nested.flat().sort();
}
