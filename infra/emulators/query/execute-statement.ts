import type { DuckDBResultReader } from '@duckdb/node-api';
import { athenaCell } from './athena-cell';
import { AthenaErrorName, AthenaQueryError } from './athena-query-error';
import type { AthenaStatement, TableName } from './athena-statement';
import { ATHENA_CATALOG, VIRTUAL_VIEW } from './catalog-views';
import { duckDbToGlueType, trinoTypeName } from './glue-types';
import { describeQuery, type StatementContext, type StatementResult } from './statement-context';
import { athenaColumnNames } from './result-column-names';
import { utilitySql } from './utility-statements';
import { createTableAs, insertInto, unload } from './write-statements';

/** Runs one parsed statement; reads return rows, writes return the update count. */
export async function executeStatement(ctx: StatementContext, statement: AthenaStatement): Promise<StatementResult> {
  switch (statement.kind) {
    case 'query': {
      const { sql } = await ctx.translate(statement.sql);
      const result = readResult(await ctx.connection.runAndReadAll(sql));
      const names = await athenaColumnNames(ctx.connection, sql, result.columns.map((c) => c.name));
      return { ...result, columns: result.columns.map((c, i) => ({ ...c, name: names[i] ?? c.name })) };
    }
    case 'utility':
      return readResult(await ctx.connection.runAndReadAll(await utilitySql(statement.sql, ctx.database, ctx.catalog, async (sql) => (await ctx.translate(sql)).sql)));
    case 'insert':
      return insertInto(ctx, statement.target, statement.columns, statement.query);
    case 'unload':
      return unload(ctx, statement.query, statement.location, statement.properties);
    case 'ctas':
      return createTableAs(ctx, statement);
    case 'create-view':
      return createView(ctx, statement.target, statement.orReplace, statement.query);
    case 'drop':
      return drop(ctx, statement.target, statement.object, statement.ifExists);
    case 'create-database':
      if (!(await ctx.catalog.getDatabase(statement.name))) await ctx.catalog.createDatabase({ Name: statement.name });
      else if (!statement.ifNotExists) throw new AthenaQueryError(AthenaErrorName.AlreadyExists, `Schema '${statement.name}' already exists`);
      return { columns: [], rows: [] };
  }
}

async function createView(ctx: StatementContext, target: TableName, orReplace: boolean, query: string): Promise<StatementResult> {
  const database = target.database ?? ctx.database;
  const existing = await ctx.catalog.getTable(database, target.table);
  if (existing && (!orReplace || existing.TableType !== VIRTUAL_VIEW)) {
    throw new AthenaQueryError(AthenaErrorName.AlreadyExists, `${existing.TableType === VIRTUAL_VIEW ? 'View' : 'Table'} '${ATHENA_CATALOG}.${database}.${target.table}' already exists`);
  }
  const described = await describeQuery(ctx, query);
  const presto = { originalSql: query.trim(), catalog: ATHENA_CATALOG, schema: database, columns: described.map((c) => ({ name: c.name, type: trinoTypeName(c.type) })) };
  const input = {
    Name: target.table,
    TableType: VIRTUAL_VIEW,
    Parameters: { presto_view: 'true', comment: 'Presto View' },
    PartitionKeys: [],
    ViewOriginalText: `/* Presto View: ${Buffer.from(JSON.stringify(presto)).toString('base64')} */`,
    StorageDescriptor: { Columns: described.map((c) => ({ Name: c.name, Type: duckDbToGlueType(c.type) })), Location: '' },
  };
  if (existing) await ctx.catalog.updateTable(database, input);
  else await ctx.catalog.createTable(database, input);
  return { columns: [], rows: [] };
}

async function drop(ctx: StatementContext, target: TableName, object: 'table' | 'view', ifExists: boolean): Promise<StatementResult> {
  const database = target.database ?? ctx.database;
  const existing = await ctx.catalog.getTable(database, target.table);
  const isView = existing?.TableType === VIRTUAL_VIEW;
  if (!existing || isView !== (object === 'view')) {
    if (ifExists && !existing) return { columns: [], rows: [] };
    throw new AthenaQueryError(AthenaErrorName.TableNotFound, `${object === 'view' ? 'View' : 'Table'} '${ATHENA_CATALOG}.${database}.${target.table}' does not exist`);
  }
  await ctx.catalog.deleteTable(database, target.table);
  return { columns: [], rows: [] };
}

function readResult(reader: DuckDBResultReader): StatementResult {
  const names = reader.columnNames();
  const types = reader.columnTypes().map((t) => t.toString());
  const rows = reader.getRows().map((row) => row.map((value, i) => athenaCell(value, types[i] ?? '')));
  return { columns: names.map((name, i) => ({ name, type: types[i] ?? 'VARCHAR' })), rows };
}
