import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CatalogPort, GlueColumn, GlueTable } from '../../../handlers/ports/catalog';
import { forEachLimited } from '../../../handlers/stage-kit/for-each-limited';
import { errorMessage } from './error-message';
import { UNREADABLE_TABLE } from './unreadable-table';
import { trinoTypeName, glueToDuckDbType } from './glue-types';
import { sqlIdentifier, sqlLiteral } from './sql-quote';
import { pathViewName } from './expose-path';
import { PATH_COLUMN, tableViewSql } from './table-view-sql';
import { META_SCHEMA, translateSql } from './translate-sql';
import { identifierName, significant, SqlTokenizeError, TokenKind, tokenize, type Token } from './sql-tokenizer';

/** Athena's catalog name; DuckDB attaches its view database under the same name. */
export const ATHENA_CATALOG = 'awsdatacatalog';

/** Glue's table type for views; their SQL is in `ViewOriginalText`. */
export const VIRTUAL_VIEW = 'VIRTUAL_VIEW';

/** Files stat'ed at once when a table's view is brought up to date. */
const FS_CALLS_IN_FLIGHT = 32;

const PRESTO_VIEW = /^\/\* Presto View: ([A-Za-z0-9+/=]+) \*\/$/;

/** The SQL of a catalog view: Athena's `/* Presto View: <base64 JSON> *\/` form or plain SQL text. */
export function viewSqlOf(table: GlueTable): string {
  const text = (table.ViewOriginalText ?? '').trim();
  const m = PRESTO_VIEW.exec(text);
  if (!m?.[1]) return text;
  const decoded: unknown = JSON.parse(Buffer.from(m[1], 'base64').toString('utf8'));
  if (typeof decoded === 'object' && decoded !== null && 'originalSql' in decoded && typeof decoded.originalSql === 'string') return decoded.originalSql;
  throw new Error(`view ${table.DatabaseName}.${table.Name}: Presto View text has no originalSql`);
}

/** Listings of a table's files tried before its view raises why it cannot be defined. */
const LISTING_ATTEMPTS = 3;

/**
 * Mirrors the catalog into DuckDB: one schema per database and one view per table or catalog view
 * under `awsdatacatalog`, plus Athena-shaped `information_schema.tables|columns|schemata` views.
 * A table that cannot be read becomes a view that raises its reason when queried, so one bad table
 * never breaks queries on others. Views are recreated only when their SQL changes.
 */
export class CatalogViews {
  private readonly created = new Map<string, string>();
  private readonly fileColumns = new Map<string, readonly string[]>();
  /** JSON keys per file, with the size and mtime they were read at. */
  private readonly jsonKeys = new Map<string, { readonly stamp: string; readonly keys: readonly string[] }>();
  private tables = new Set<string>();
  /** The catalog tables as of the last sync, by `database.table` in lower case. */
  private tableDefs = new Map<string, GlueTable>();

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly catalog: CatalogPort,
    private readonly home: string,
  ) {}

  /**
   * Brings the DuckDB views in line with the catalog as it is now (tables, partitions, files). Given
   * the SQL about to run, a table it cannot reference keeps the view it has (its file list is not read
   * again): a table is re-read when its name appears in the SQL or in a catalog view the SQL names.
   * Every table is defined the first time it is seen.
   */
  async sync(sql?: string): Promise<void> {
    const databases = await this.catalog.getDatabases();
    const wanted = new Set<string>();
    const views: GlueTable[] = [];
    const all: GlueTable[] = [];
    for (const db of databases) {
      await this.connection.run(`CREATE SCHEMA IF NOT EXISTS ${ATHENA_CATALOG}.${sqlIdentifier(db.Name)}`);
      all.push(...(await this.catalog.getTables(db.Name)));
    }
    const named = sql === undefined ? undefined : namesReferenced(sql, all);
    for (const table of all) {
      if (table.TableType === VIRTUAL_VIEW) {
        views.push(table);
        wanted.add(qualified(table));
        continue;
      }
      wanted.add(qualified(table, pathViewName(table.Name)));
      wanted.add(qualified(table));
      if (named && !named.has(table.Name.toLowerCase()) && !named.has(`${table.DatabaseName}.${table.Name}`.toLowerCase()) && this.created.has(qualified(table))) continue;
      await this.defineTable(table);
    }
    this.tableDefs = new Map(all.filter((t) => t.TableType !== VIRTUAL_VIEW).map((t) => [`${t.DatabaseName}.${t.Name}`.toLowerCase(), t]));
    this.tables = new Set(this.tableDefs.keys());
    await this.defineViews(views);
    for (const name of [...this.created.keys()]) {
      if (!wanted.has(name) && !name.includes(sqlIdentifier(META_SCHEMA))) {
        await this.connection.run(`DROP VIEW IF EXISTS ${name}`);
        this.created.delete(name);
      }
    }
    await this.defineMetadata(databases.map((d) => d.Name), all);
  }

  /**
   * Defines a table's two views: `t$path` reads the files and has `"$path"`; `t` is the same without
   * it (Athena's `$path` is hidden from `SELECT *`). A failure becomes a view that raises it.
   */
  private async defineTable(table: GlueTable): Promise<void> {
    const withPath = qualified(table, pathViewName(table.Name));
    await this.defineListed(table, withPath);
    await this.define(qualified(table), `SELECT * EXCLUDE (${sqlIdentifier(PATH_COLUMN)}) FROM ${withPath}`);
  }

  /**
   * Defines a table's `$path` view (of some objects only, if given) over its files as listed now.
   * Listing or defining can fail when a partition swap deleted a listed file
   * (DuckDB binds a view's files when it is created): the files are listed again (a swap moves the
   * new files in before it deletes the old), and after LISTING_ATTEMPTS the view raises the reason
   * when read — never the sync, so a query is not failed by a table it does not read. A failing view
   * keeps the table's columns, so views over the table still compile (a missing column there is
   * the view's mistake; an unreadable table is not).
   */
  private async defineListed(table: GlueTable, name: string, only?: ReadonlySet<string>): Promise<void> {
    let reason: unknown;
    for (let attempt = 1; attempt <= LISTING_ATTEMPTS; attempt++) {
      try {
        const partitions = table.PartitionKeys.length > 0 ? await this.catalog.getPartitions(table.DatabaseName, table.Name) : [];
        const columns = (format: 'parquet' | 'json', paths: readonly string[]): Promise<readonly string[]> => (format === 'json' ? this.keysOf(paths) : this.parquetColumnsOf(paths));
        await this.define(name, await tableViewSql(this.home, table, partitions, columns, only));
        return;
      } catch (e) {
        reason = e;
      }
    }
    await this.define(name, failingTableView(table, errorMessage(reason)));
  }

  /**
   * The `t$path` view of a catalog table narrowed to some objects (s3 URIs), for a query that keeps
   * only those by `"$path"` (see exposePath): its name in the table's schema. It lives until the
   * next sync. A table not in the catalog keeps its full view.
   */
  async narrowedPathView(database: string, schema: string | undefined, name: string, paths: ReadonlySet<string>): Promise<string> {
    const table = this.tableDefs.get(`${schema ?? database}.${name}`.toLowerCase());
    if (table === undefined) return pathViewName(name);
    const view = `${pathViewName(table.Name)}$${createHash('sha1').update([...paths].sort().join('\n')).digest('hex').slice(0, 16)}`;
    await this.defineListed(table, qualified(table, view), paths);
    return view;
  }

  /** True when `schema.table` (schema defaulting to `database`) is a catalog table with a `$path` view. */
  hasTable(database: string, schema: string | undefined, table: string): boolean {
    return this.tables.has(`${schema ?? database}.${table}`.toLowerCase());
  }

  /** The columns of Parquet files (footers only), remembered per file list. */
  private async parquetColumnsOf(paths: readonly string[]): Promise<readonly string[]> {
    const query = `SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet([${paths.map(sqlLiteral).join(', ')}], hive_partitioning=false, union_by_name=true))`;
    const known = this.fileColumns.get(query);
    if (known) return known;
    const names = (await this.connection.runAndReadAll(query)).getRows().map((r) => String(r[0]));
    if (this.fileColumns.size > 1000) this.fileColumns.clear();
    this.fileColumns.set(query, names);
    return names;
  }

  /**
   * The keys of the JSON objects in some JSON-lines files, sorted: each file is read once (again only
   * when its size or mtime changes), so a table that grows by a file costs a scan of that file only.
   */
  private async keysOf(paths: readonly string[]): Promise<readonly string[]> {
    const stamps = new Map<string, string>();
    await forEachLimited(paths, FS_CALLS_IN_FLIGHT, async (p) => {
      const stat = await fs.stat(p).catch(() => undefined);
      stamps.set(p, stat ? `${stat.size}:${stat.mtimeMs}` : 'missing');
    });
    const stale = paths.filter((p) => this.jsonKeys.get(p)?.stamp !== stamps.get(p));
    if (stale.length > 0) {
      const found = new Map<string, string[]>(stale.map((p) => [p, []]));
      const rows = await this.connection.runAndReadAll(
        `SELECT DISTINCT filename, unnest(json_keys(json)) FROM read_json_objects([${stale.map(sqlLiteral).join(', ')}], format='auto', filename=true) WHERE json_type(json) = 'OBJECT'`,
      );
      for (const [file, key] of rows.getRows()) found.get(String(file))?.push(String(key));
      for (const [p, keys] of found) this.jsonKeys.set(p, { stamp: stamps.get(p) ?? 'missing', keys });
    }
    return [...new Set(paths.flatMap((p) => this.jsonKeys.get(p)?.keys ?? []))].sort();
  }

  private async defineViews(views: readonly GlueTable[]): Promise<void> {
    let pending = [...views];
    for (let pass = 0; pass <= views.length && pending.length > 0; pass++) {
      const failed: GlueTable[] = [];
      for (const view of pending) {
        const body = translateSql(viewSqlOf(view)).sql;
        const ok = await this.define(qualified(view), body, view.DatabaseName).then(() => true, () => false);
        if (!ok) failed.push(view);
      }
      if (failed.length === pending.length) {
        for (const view of failed) {
          const reason = await this.define(qualified(view), translateSql(viewSqlOf(view)).sql, view.DatabaseName).then(() => 'unknown', (e: unknown) => errorMessage(e));
          await this.define(qualified(view), failingView(new Error(`view ${view.DatabaseName}.${view.Name} is stale: ${reason}`)));
        }
        return;
      }
      pending = failed;
    }
  }

  private async define(name: string, body: string, schema?: string): Promise<void> {
    if (this.created.get(name) === body) return;
    if (schema !== undefined) await this.connection.run(`SET search_path = ${sqlLiteral(`${ATHENA_CATALOG}.${schema}`)}`);
    try {
      await this.connection.run(`CREATE OR REPLACE VIEW ${name} AS ${body}`);
    } finally {
      if (schema !== undefined) await this.connection.run(`RESET search_path`);
    }
    this.created.set(name, body);
  }

  private async defineMetadata(databases: readonly string[], tables: readonly GlueTable[]): Promise<void> {
    await this.connection.run(`CREATE SCHEMA IF NOT EXISTS ${ATHENA_CATALOG}.${sqlIdentifier(META_SCHEMA)}`);
    const meta = (name: string): string => `${ATHENA_CATALOG}.${sqlIdentifier(META_SCHEMA)}.${sqlIdentifier(name)}`;
    const schemata = [...databases, 'information_schema'].map((d) => [ATHENA_CATALOG, d]);
    await this.define(meta('schemata'), valuesView(['catalog_name', 'schema_name'], schemata));
    const tableRows = tables.map((t) => [ATHENA_CATALOG, t.DatabaseName, t.Name, t.TableType === VIRTUAL_VIEW ? 'VIEW' : 'BASE TABLE']);
    await this.define(meta('tables'), valuesView(['table_catalog', 'table_schema', 'table_name', 'table_type'], tableRows));
    const columnRows = tables.flatMap((t) => columnsOf(t).map((c, i) => [
      ATHENA_CATALOG, t.DatabaseName, t.Name, c.column.Name, String(i + 1), 'YES', dataType(c.column.Type), c.partition ? 'partition key' : '', c.column.Comment ?? '',
    ]));
    const columnNames = ['table_catalog', 'table_schema', 'table_name', 'column_name', 'ordinal_position', 'is_nullable', 'data_type', 'extra_info', 'comment'];
    const columns = `SELECT * REPLACE (CAST("ordinal_position" AS BIGINT) AS "ordinal_position") FROM (${valuesView(columnNames, columnRows)})`;
    await this.define(meta('columns'), columns);
  }
}

/**
 * The lower-cased identifiers of some SQL and, transitively, of the catalog views it names: every
 * table the SQL can read is among them (a superset: a column that shares a table's name counts too),
 * unqualified (`traffic`: a table of that name in any schema) or qualified (`tributary_raw.traffic`:
 * that schema's only). Undefined when the SQL cannot be tokenized (then every table is read).
 */
function namesReferenced(sql: string, tables: readonly GlueTable[]): Set<string> | undefined {
  const names = new Set<string>();
  const viewsByName = new Map<string, GlueTable[]>();
  for (const view of tables.filter((t) => t.TableType === VIRTUAL_VIEW)) viewsByName.set(view.Name.toLowerCase(), [...(viewsByName.get(view.Name.toLowerCase()) ?? []), view]);
  const expanded = new Set<string>();
  let unreadable = false;
  const pending = [sql];
  for (let text = pending.pop(); text !== undefined; text = pending.pop()) {
    if (unreadable) return undefined;
    let tokens;
    try {
      tokens = tokenize(text);
    } catch (e) {
      if (e instanceof SqlTokenizeError) return undefined;
      throw e;
    }
    const words = significant(tokens);
    const isName = (t: Token | undefined): t is Token => t !== undefined && (t.kind === TokenKind.Word || t.kind === TokenKind.QuotedIdentifier);
    words.forEach((token, i) => {
      if (!isName(token)) return;
      const name = identifierName(token).toLowerCase();
      // `schema.table` names one schema's table (the last two parts of `catalog.schema.table`);
      // a name after a dot is only that, so the tables of that name in other schemas are not re-read.
      const next = words[i + 2];
      if (words[i + 1]?.text === '.' && isName(next)) names.add(`${name}.${identifierName(next).toLowerCase()}`);
      const qualified = i >= 2 && words[i - 1]?.text === '.' && isName(words[i - 2]);
      if (qualified) expand(name);
      else if (!names.has(name)) {
        names.add(name);
        expand(name);
      }
    });
  }
  return unreadable ? undefined : names;

  function expand(name: string): void {
    if (expanded.has(name)) return;
    expanded.add(name);
    for (const view of viewsByName.get(name) ?? []) {
      try {
        pending.push(viewSqlOf(view));
      } catch {
        unreadable = true;
      }
    }
  }
}

function columnsOf(table: GlueTable): { column: GlueColumn; partition: boolean }[] {
  return [
    ...table.StorageDescriptor.Columns.map((column) => ({ column, partition: false })),
    ...table.PartitionKeys.map((column) => ({ column, partition: true })),
  ];
}

function dataType(glueType: string): string {
  try {
    return trinoTypeName(glueToDuckDbType(glueType));
  } catch {
    return glueType;
  }
}

function qualified(table: GlueTable, name: string = table.Name): string {
  return `${ATHENA_CATALOG}.${sqlIdentifier(table.DatabaseName)}.${sqlIdentifier(name)}`;
}

function valuesView(names: readonly string[], rows: readonly (readonly string[])[]): string {
  const list = names.map(sqlIdentifier).join(', ');
  if (rows.length === 0) return `SELECT ${names.map((n) => `CAST(NULL AS VARCHAR) AS ${sqlIdentifier(n)}`).join(', ')} WHERE false`;
  return `SELECT * FROM (VALUES ${rows.map((r) => `(${r.map(sqlLiteral).join(', ')})`).join(', ')}) AS v(${list})`;
}

/** A `$path` view with a table's columns that raises `reason` (marked UNREADABLE_TABLE) when read. */
function failingTableView(table: GlueTable, reason: string): string {
  const message = sqlLiteral(`${UNREADABLE_TABLE}: table ${table.DatabaseName}.${table.Name} cannot be read: ${reason}`);
  const typeOf = (glueType: string): string => {
    try {
      return glueToDuckDbType(glueType);
    } catch {
      return 'VARCHAR';
    }
  };
  const columns = [...table.StorageDescriptor.Columns, ...table.PartitionKeys].map((c) => `CAST(error(${message}) AS ${typeOf(c.Type)}) AS ${sqlIdentifier(c.Name)}`);
  columns.push(`CAST(NULL AS VARCHAR) AS ${sqlIdentifier(PATH_COLUMN)}`);
  return `SELECT ${columns.join(', ')} FROM range(1) WHERE error(${message}) IS NULL`;
}

function failingView(error: unknown): string {
  const message = sqlLiteral(errorMessage(error));
  // The filter raises too: a projection alone is pruned by `count(*)`, which would count one row.
  return `SELECT error(${message}) AS ${sqlIdentifier('error')} FROM range(1) WHERE error(${message}) IS NULL`;
}
