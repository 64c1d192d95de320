import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { GluePartition, GlueTable } from '../../../handlers/ports/catalog';
import { forEachLimited } from '../../../handlers/stage-kit/for-each-limited';
import { localPathOfUri, parseS3Uri } from '../../local/lake-paths';
import { glueToDuckDbType } from './glue-types';
import { sqlIdentifier, sqlLiteral } from './sql-quote';

/** The column name under which the engine exposes each row's object URI, as Athena's `"$path"`. */
export const PATH_COLUMN = '$path';
const FILE_COLUMN = '__tributary_file';
/** The folder value Hive (and DuckDB) write for a NULL partition value; it reads back as NULL. */
const HIVE_NULL_PARTITION = '__HIVE_DEFAULT_PARTITION__';
/** Partition folders listed at once. */
const LISTINGS_IN_FLIGHT = 16;

/** Storage formats the engine reads, from the table's `classification` or its SerDe. */
export const TableFormat = { Parquet: 'parquet', Json: 'json', Csv: 'csv' } as const;
/** One table format. */
export type TableFormat = (typeof TableFormat)[keyof typeof TableFormat];

/** The format of a catalog table, or undefined when the engine cannot read it. */
export function tableFormat(table: GlueTable): TableFormat | undefined {
  const hint = [table.Parameters.classification, table.StorageDescriptor.SerdeInfo?.SerializationLibrary, table.StorageDescriptor.InputFormat]
    .filter((v): v is string => typeof v === 'string')
    .join(' ')
    .toLowerCase();
  if (hint.includes('parquet')) return TableFormat.Parquet;
  if (hint.includes('json')) return TableFormat.Json;
  if (hint.includes('csv') || hint.includes('lazysimpleserde') || hint.includes('textinputformat')) return TableFormat.Csv;
  return undefined;
}

/**
 * The column names some data files carry (the columns of Parquet files, the keys of JSON objects),
 * by their local paths; the caller caches them (JSON keys per file, so a new file costs a scan of that
 * file only). Declared columns no file has read as NULL, and JSON keys match declared columns
 * case-insensitively, as Athena's Parquet reader and the OpenX JSON SerDe do.
 */
export type FileColumns = (format: 'parquet' | 'json', localPaths: readonly string[]) => Promise<readonly string[]>;

interface DataFile {
  readonly localPath: string;
  readonly uri: string;
  readonly partitionValues: readonly string[];
}

/**
 * Builds the DuckDB SELECT a catalog table stands for (or, given `only`, the part of it in those
 * objects, by s3 URI): its data files (for a partitioned table, the
 * files under each catalog partition's location — folders with no partition are invisible, as in
 * Athena), read with the format's reader, each column cast to its Glue type, partition values as the
 * catalog holds them, cast to their declared types (`__HIVE_DEFAULT_PARTITION__` is NULL), and
 * `"$path"` the object's s3 URI.
 * Files and folders whose names start with `_` or `.` are skipped, as Hive and Athena skip them.
 */
export async function tableViewSql(
  home: string,
  table: GlueTable,
  partitions: readonly GluePartition[],
  fileColumns: FileColumns,
  only?: ReadonlySet<string>,
): Promise<string> {
  const format = tableFormat(table);
  if (format === undefined) throw new Error(`table ${table.DatabaseName}.${table.Name} has no readable format (classification ${JSON.stringify(table.Parameters.classification)})`);
  const keys = table.PartitionKeys;
  const locations = keys.length === 0
    ? [{ uri: table.StorageDescriptor.Location, values: [] as readonly string[] }]
    : partitions.map((p) => ({ uri: p.StorageDescriptor.Location, values: p.Values }));
  // Partition folders are listed a few at once (a query waits on all of them), kept in catalog order.
  const listed: string[][] = [];
  await forEachLimited(locations, LISTINGS_IN_FLIGHT, async (location, i) => {
    listed[i] = await listDataFiles(localPathOfUri(home, location.uri));
  });
  const files: DataFile[] = locations.flatMap((location, i) => (listed[i] ?? []).map((localPath) => {
    const { bucket } = parseS3Uri(location.uri);
    const relative = path.relative(localPathOfUri(home, `s3://${bucket}/`), localPath).split(path.sep).join('/');
    return { localPath, uri: `s3://${bucket}/${relative}`, partitionValues: location.values };
  })).filter((f) => only === undefined || only.has(f.uri));
  const columns = table.StorageDescriptor.Columns.map((c) => ({ name: c.Name, type: glueToDuckDbType(c.Type) }));
  const keyColumns = keys.map((k) => ({ name: k.Name, type: glueToDuckDbType(k.Type) }));
  if (files.length === 0) {
    const nulls = [...columns, ...keyColumns].map((c) => `CAST(NULL AS ${c.type}) AS ${sqlIdentifier(c.name)}`);
    return `SELECT ${[...nulls, `CAST(NULL AS VARCHAR) AS ${sqlIdentifier(PATH_COLUMN)}`].join(', ')} WHERE false`;
  }
  const fileList = `[${files.map((f) => sqlLiteral(f.localPath)).join(', ')}]`;
  const actual = format === TableFormat.Csv ? undefined : await fileColumns(format, files.map((f) => f.localPath));
  const sourceOf = (name: string): string | undefined => (actual === undefined ? name : actual.find((a) => a.toLowerCase() === name.toLowerCase()));
  const selectData = columns.map((c) => {
    const source = sourceOf(c.name);
    if (source === undefined) return `CAST(NULL AS ${c.type}) AS ${sqlIdentifier(c.name)}`;
    const cast = format === TableFormat.Csv ? 'TRY_CAST' : 'CAST';
    return `${cast}(f.${sqlIdentifier(source)} AS ${c.type}) AS ${sqlIdentifier(c.name)}`;
  });
  const readColumns = columns.flatMap((c) => {
    const source = sourceOf(c.name);
    return source === undefined ? [] : [{ name: source, type: c.type }];
  });
  const file = `f.${sqlIdentifier(FILE_COLUMN)}`;
  if (keys.length === 0 || partitions.every((p) => isHiveLocation(table, p))) {
    const { bucket } = parseS3Uri(table.StorageDescriptor.Location);
    const bucketDir = localPathOfUri(home, `s3://${bucket}/`) + path.sep;
    const selectKeys = keyColumns.map((k) => `CAST(f.${sqlIdentifier(k.name)} AS ${k.type}) AS ${sqlIdentifier(k.name)}`);
    const uri = `${sqlLiteral(`s3://${bucket}/`)} || replace(substr(${file}, ${bucketDir.length + 1}), ${sqlLiteral(path.sep)}, '/') AS ${sqlIdentifier(PATH_COLUMN)}`;
    return `SELECT ${[...selectData, ...selectKeys, uri].join(', ')}\nFROM ${reader(format, fileList, table, readColumns, keys.length > 0)} AS f`;
  }
  const selectKeys = keyColumns.map((k) => `CAST(NULLIF(p.${sqlIdentifier(k.name)}, ${sqlLiteral(HIVE_NULL_PARTITION)}) AS ${k.type}) AS ${sqlIdentifier(k.name)}`);
  const values = files.map((f) => `(${[f.localPath, f.uri, ...f.partitionValues].map(sqlLiteral).join(', ')})`).join(', ');
  const valueNames = [FILE_COLUMN, PATH_COLUMN, ...keys.map((k) => k.Name)].map(sqlIdentifier).join(', ');
  return [
    `SELECT ${[...selectData, ...selectKeys, `p.${sqlIdentifier(PATH_COLUMN)}`].join(', ')}`,
    `FROM ${reader(format, fileList, table, readColumns, false)} AS f`,
    `JOIN (VALUES ${values}) AS p(${valueNames}) ON ${file} = p.${sqlIdentifier(FILE_COLUMN)}`,
  ].join('\n');
}

/**
 * True when a partition lives at `<table location>/k1=v1/…/` with the values the catalog holds (as
 * DuckDB decodes hive folder names). Then DuckDB's own hive reader gives the same values and can
 * prune files on partition filters; other layouts take their values from the catalog by a join.
 */
function isHiveLocation(table: GlueTable, partition: GluePartition): boolean {
  const base = withSlash(table.StorageDescriptor.Location);
  const location = withSlash(partition.StorageDescriptor.Location);
  if (!location.startsWith(base)) return false;
  const segments = location.slice(base.length).split('/').filter((x) => x !== '');
  return segments.length === table.PartitionKeys.length && segments.every((segment, i) => {
    const key = table.PartitionKeys[i]?.Name ?? '';
    const value = partition.Values[i] ?? '';
    if (!segment.startsWith(`${key}=`)) return false;
    const raw = segment.slice(key.length + 1);
    return raw === value || safeDecode(raw) === value;
  });
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function withSlash(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}

function reader(format: TableFormat, fileList: string, table: GlueTable, columns: readonly { name: string; type: string }[], hive: boolean): string {
  const common = `filename=${sqlLiteral(FILE_COLUMN)}, hive_partitioning=${hive}${hive ? ', hive_types_autocast=false' : ''}`;
  if (format === TableFormat.Parquet) return `read_parquet(${fileList}, ${common}, union_by_name=true)`;
  if (format === TableFormat.Json) {
    // JSON lines, or (tables a custom `$[*]` classifier catalogued) files holding one array of objects.
    if (columns.length === 0) return `(SELECT json, filename AS ${sqlIdentifier(FILE_COLUMN)} FROM read_json_objects(${fileList}, format='auto', filename=true))`;
    const struct = `{${columns.map((c) => `${sqlLiteral(c.name)}: ${sqlLiteral(c.type)}`).join(', ')}}`;
    return `read_json(${fileList}, ${common}, format='auto', columns=${struct})`;
  }
  const serde = { ...table.StorageDescriptor.SerdeInfo?.Parameters };
  const params = { ...table.StorageDescriptor.Parameters, ...table.Parameters };
  const delimiter = serde['field.delim'] ?? serde.separatorChar ?? params.delimiter ?? ',';
  const skip = Number(params['skip.header.line.count'] ?? '0');
  const struct = `{${columns.map((c) => `${sqlLiteral(c.name)}: 'VARCHAR'`).join(', ')}}`;
  // OpenCSVSerDe honours its quoteChar (and escapeChar, when set; doubled quotes otherwise); LazySimpleSerDe quotes nothing.
  const openCsv = (table.StorageDescriptor.SerdeInfo?.SerializationLibrary ?? '').toLowerCase().includes('opencsv');
  const quote = openCsv ? serde.quoteChar ?? '"' : '';
  const escape = openCsv ? serde.escapeChar ?? quote : '';
  // Every option is the table's, so nothing is sniffed: DuckDB's sniffer refuses a file with fewer
  // fields than the table's columns (one written before a crawl added a column), which SerDes read as NULLs.
  return `read_csv(${fileList}, ${common}, delim=${sqlLiteral(delimiter)}, header=false, skip=${Number.isFinite(skip) ? skip : 0}, columns=${struct}, nullstr='\\N', null_padding=true, quote=${sqlLiteral(quote)}, escape=${sqlLiteral(escape)}, auto_detect=false)`;
}

async function listDataFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const visible = entries.filter((e) => !e.name.startsWith('_') && !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
  const nested = await Promise.all(visible.map((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return listDataFiles(full);
    return Promise.resolve(e.isFile() ? [full] : []);
  }));
  return nested.flat();
}
