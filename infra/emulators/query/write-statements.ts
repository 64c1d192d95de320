import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { GlueColumn, GlueTable } from '../../../handlers/ports/catalog';
import { localPathOfUri } from '../../local/lake-paths';
import { AthenaErrorName, AthenaQueryError } from './athena-query-error';
import type { AthenaStatement, Properties, TableName } from './athena-statement';
import { ATHENA_CATALOG, VIRTUAL_VIEW } from './catalog-views';
import { duckDbToGlueType, glueToDuckDbType } from './glue-types';
import { writePartitioned, type WriteResult } from './partitioned-write';
import { sqlIdentifier } from './sql-quote';
import { describeQuery, type StatementContext, type StatementResult } from './statement-context';
import { tableFormat, TableFormat } from './table-view-sql';

const PARQUET_SD = {
  InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', Parameters: { 'serialization.format': '1' } },
};

const JSON_SD = {
  InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
  OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
  SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe', Parameters: {} },
};

/**
 * `INSERT INTO t [(cols)] <query>`: the query's columns map to the table's by position (or to the
 * listed columns; the rest are NULL), are cast to the Glue types, written as new files under the
 * table's location, and the new partitions are registered in the catalog, as Athena does.
 */
export async function insertInto(ctx: StatementContext, target: TableName, columns: readonly string[] | undefined, query: string): Promise<StatementResult> {
  const table = await requireTable(ctx, target);
  const format = tableFormat(table);
  if (format !== TableFormat.Parquet && format !== TableFormat.Json) throw new AthenaQueryError(AthenaErrorName.NotSupported, `INSERT INTO a ${format ?? 'unknown'} table is not supported locally (Parquet and JSON only)`);
  const all = [...table.StorageDescriptor.Columns, ...table.PartitionKeys];
  const targets = columns ?? all.map((c) => c.Name);
  const described = await describeQuery(ctx, query);
  if (described.length !== targets.length) {
    throw new AthenaQueryError(AthenaErrorName.TypeMismatch, `Insert query has ${described.length} columns but ${columns ? 'the column list' : `table '${qualified(table)}'`} has ${targets.length}`);
  }
  const aliases = described.map((_, i) => sqlIdentifier(`c${i}`)).join(', ');
  const select = all.map((c) => {
    const at = targets.indexOf(c.Name);
    const source = at === -1 ? 'NULL' : `q.${sqlIdentifier(`c${at}`)}`;
    return `CAST(${source} AS ${glueToDuckDbType(c.Type)}) AS ${sqlIdentifier(c.Name)}`;
  });
  const written = await write(ctx, `SELECT ${select.join(', ')} FROM (${(await ctx.translate(query)).sql}\n) AS q(${aliases})`, table.PartitionKeys.map((k) => k.Name), table.StorageDescriptor.Location, format);
  await registerPartitions(ctx, table, written);
  return { columns: [], rows: [], updateCount: written.rows };
}

/** `UNLOAD (<query>) TO 's3://…' WITH (format, partitioned_by, compression)`: files only, no catalog change. */
export async function unload(ctx: StatementContext, query: string, location: string, properties: Properties): Promise<StatementResult> {
  await requireEmpty(ctx, location);
  const format = writeFormat(properties);
  const keys = listProperty(properties, 'partitioned_by');
  const written = await write(ctx, (await ctx.translate(query)).sql, keys, location, format, compressionOf(properties));
  return { columns: [], rows: [], updateCount: written.rows };
}

/**
 * `CREATE TABLE … WITH (external_location, format, partitioned_by) AS <query> [WITH NO DATA]`: writes
 * the files, then creates the table (Glue types from the result, partition columns last) and its partitions.
 */
export async function createTableAs(ctx: StatementContext, s: Extract<AthenaStatement, { kind: 'ctas' }>): Promise<StatementResult> {
  const database = s.target.database ?? ctx.database;
  if (await ctx.catalog.getTable(database, s.target.table)) {
    if (s.ifNotExists) return { columns: [], rows: [] };
    throw new AthenaQueryError(AthenaErrorName.AlreadyExists, `Table '${ATHENA_CATALOG}.${database}.${s.target.table}' already exists`);
  }
  const location = scalarProperty(s.properties, 'external_location');
  if (location === undefined) throw new AthenaQueryError(AthenaErrorName.NotSupported, `CREATE TABLE AS needs WITH (external_location = 's3://tributary-<zone>/…') locally (there is no query result location)`);
  await requireEmpty(ctx, location);
  const format = writeFormat(s.properties);
  const keys = listProperty(s.properties, 'partitioned_by');
  const described = await describeQuery(ctx, s.query);
  const names = described.map((c) => c.name);
  if (keys.some((k, i) => names[names.length - keys.length + i] !== k)) {
    throw new AthenaQueryError(AthenaErrorName.GenericUserError, `partition columns ${keys.join(', ')} must be the last columns of the SELECT, in that order`);
  }
  const toColumn = (c: { name: string; type: string }): GlueColumn => ({ Name: c.name, Type: duckDbToGlueType(c.type) });
  const table: GlueTable = {
    Name: s.target.table,
    DatabaseName: database,
    TableType: 'EXTERNAL_TABLE',
    Parameters: { classification: format, EXTERNAL: 'TRUE', has_encrypted_data: 'false' },
    PartitionKeys: described.slice(names.length - keys.length).map(toColumn),
    StorageDescriptor: { Columns: described.slice(0, names.length - keys.length).map(toColumn), Location: withSlash(location), ...(format === 'parquet' ? PARQUET_SD : JSON_SD) },
  };
  const written = s.withData ? await write(ctx, (await ctx.translate(s.query)).sql, keys, location, format, compressionOf(s.properties)) : undefined;
  const { DatabaseName: _db, ...input } = table;
  await ctx.catalog.createTable(database, input);
  if (written) await registerPartitions(ctx, table, written);
  return { columns: [], rows: [], updateCount: written?.rows ?? 0 };
}

async function write(ctx: StatementContext, select: string, keys: readonly string[], location: string, format: 'parquet' | 'json', compression = 'snappy'): Promise<WriteResult> {
  return writePartitioned(ctx.connection, {
    select,
    partitionKeys: keys,
    targetDir: localPathOfUri(ctx.home, location),
    stagingDir: path.join(ctx.home, 'lake', '.staging'),
    format,
    compression,
    fileStem: `${new Date().toISOString().replace(/[-:T.Z]/g, '').slice(0, 14)}_${ctx.queryId}`,
  });
}

async function registerPartitions(ctx: StatementContext, table: GlueTable, written: WriteResult): Promise<void> {
  if (table.PartitionKeys.length === 0 || written.partitions.length === 0) return;
  const inputs = written.partitions.map((p) => ({
    Values: p.values,
    StorageDescriptor: { ...table.StorageDescriptor, Location: `${withSlash(table.StorageDescriptor.Location)}${p.relativeDir}/` },
  }));
  for (let i = 0; i < inputs.length; i += 100) await ctx.catalog.batchCreatePartition(table.DatabaseName, table.Name, inputs.slice(i, i + 100));
}

async function requireTable(ctx: StatementContext, target: TableName): Promise<GlueTable> {
  const database = target.database ?? ctx.database;
  const table = await ctx.catalog.getTable(database, target.table);
  if (!table || table.TableType === VIRTUAL_VIEW) throw new AthenaQueryError(AthenaErrorName.TableNotFound, `Table '${ATHENA_CATALOG}.${database}.${target.table}' does not exist`);
  return table;
}

async function requireEmpty(ctx: StatementContext, location: string): Promise<void> {
  const dir = localPathOfUri(ctx.home, location);
  const entries = await fs.readdir(dir).catch(() => []);
  if (entries.length > 0) throw new AthenaQueryError(AthenaErrorName.PathAlreadyExists, `Target directory for table already exists: ${location}. Use a new, empty location.`);
}

function writeFormat(properties: Properties): 'parquet' | 'json' {
  const format = (scalarProperty(properties, 'format') ?? 'PARQUET').toLowerCase();
  if (format !== 'parquet' && format !== 'json') throw new AthenaQueryError(AthenaErrorName.NotSupported, `format '${format}' is not supported locally (PARQUET, JSON)`);
  return format;
}

function compressionOf(properties: Properties): string {
  return (scalarProperty(properties, 'write_compression') ?? scalarProperty(properties, 'parquet_compression') ?? scalarProperty(properties, 'compression') ?? 'snappy').toLowerCase();
}

function scalarProperty(properties: Properties, key: string): string | undefined {
  const value = properties[key];
  return typeof value === 'string' ? value : undefined;
}

function listProperty(properties: Properties, key: string): string[] {
  const value = properties[key];
  return Array.isArray(value) ? value.map((v: string) => v.toLowerCase()) : [];
}

function withSlash(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}

function qualified(table: GlueTable): string {
  return `${ATHENA_CATALOG}.${table.DatabaseName}.${table.Name}`;
}
