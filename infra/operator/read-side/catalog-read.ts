import { TableCrawledDetailSchema } from '../../../contracts/domain-events';
import type { CatalogPort, GlueTable } from '../../../handlers/ports/catalog';
import { readArchive } from './events-read';

/** One table of the catalog in the overview: its kind, size and where it lives. */
export interface CatalogTableSummary {
  readonly name: string;
  /** `EXTERNAL_TABLE` or `VIRTUAL_VIEW`, as Glue names them. */
  readonly type: string;
  readonly columns: number;
  readonly partitionKeys: readonly string[];
  readonly partitions: number;
  readonly location: string;
  readonly updated?: string;
  /** The crawler's row estimate (`recordCount`), when a crawler wrote the table. */
  readonly records?: number;
}

/** One database with its tables, sorted by name. */
export interface CatalogDatabase {
  readonly name: string;
  readonly description?: string;
  readonly tables: readonly CatalogTableSummary[];
}

/** A column of a table; partition keys come after the data columns, as Athena lists them. */
export interface CatalogColumn {
  readonly name: string;
  readonly type: string;
  readonly partitionKey: boolean;
}

/** One partition: its key values (in partition-key order) and its folder. */
export interface CatalogPartition {
  readonly values: readonly string[];
  readonly location: string;
  readonly created?: string;
}

/** A table in full: columns and types, partitions, and the view's SQL for a view. */
export interface CatalogTableDetail extends CatalogTableSummary {
  readonly database: string;
  readonly columnList: readonly CatalogColumn[];
  readonly partitionList: readonly CatalogPartition[];
  readonly viewSql?: string;
}

/** The columns a crawl added to a table, and when (from the `TableCrawled` the crawl announced). */
export interface SchemaChange {
  readonly time: string;
  readonly zone: string;
  readonly crawler: string;
  readonly database: string;
  readonly table: string;
  readonly addedColumns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
}

function summary(table: GlueTable, partitions: number): CatalogTableSummary {
  const records = Number(table.Parameters['recordCount']);
  return {
    name: table.Name,
    type: table.TableType,
    columns: table.StorageDescriptor.Columns.length,
    partitionKeys: table.PartitionKeys.map((k) => k.Name),
    partitions,
    location: table.StorageDescriptor.Location,
    ...(table.UpdateTime ?? table.CreateTime ? { updated: table.UpdateTime ?? table.CreateTime } : {}),
    ...(Number.isFinite(records) && table.Parameters['recordCount'] !== undefined ? { records } : {}),
  };
}

/** Every database of the catalog with a summary of each table (partition counts included), sorted by name. */
export async function readCatalog(catalog: CatalogPort): Promise<CatalogDatabase[]> {
  const databases = (await catalog.getDatabases()).sort((a, b) => a.Name.localeCompare(b.Name));
  return Promise.all(
    databases.map(async (db) => {
      const tables = (await catalog.getTables(db.Name)).sort((a, b) => a.Name.localeCompare(b.Name));
      const summaries = await Promise.all(tables.map(async (t) => summary(t, t.PartitionKeys.length > 0 ? (await catalog.getPartitions(db.Name, t.Name)).length : 0)));
      return { name: db.Name, ...(db.Description ? { description: db.Description } : {}), tables: summaries };
    }),
  );
}

/** One table in full, partitions sorted by their values; undefined when the catalog has no such table. */
export async function readCatalogTable(catalog: CatalogPort, database: string, name: string): Promise<CatalogTableDetail | undefined> {
  const table = await catalog.getTable(database, name);
  if (table === undefined) return undefined;
  const partitions = table.PartitionKeys.length > 0 ? await catalog.getPartitions(database, name) : [];
  const partitionList = partitions
    .map((p) => ({ values: p.Values, location: p.StorageDescriptor.Location, ...(p.CreationTime ? { created: p.CreationTime } : {}) }))
    .sort((a, b) => a.values.join('\u0000').localeCompare(b.values.join('\u0000')));
  return {
    ...summary(table, partitions.length),
    database: table.DatabaseName,
    columnList: [
      ...table.StorageDescriptor.Columns.map((c) => ({ name: c.Name, type: c.Type, partitionKey: false })),
      ...table.PartitionKeys.map((c) => ({ name: c.Name, type: c.Type, partitionKey: true })),
    ],
    partitionList,
    ...(table.ViewOriginalText ? { viewSql: table.ViewOriginalText } : {}),
  };
}

/**
 * The schema changes of the home's catalog over time, oldest first: every crawl that added columns
 * (a table's creation lists all of its columns), read from the `TableCrawled` events the bus archived.
 * Narrowed to one table when `database` and `table` are given.
 */
export async function readSchemaChanges(home: string, only?: { readonly database: string; readonly table: string }): Promise<SchemaChange[]> {
  const changes: SchemaChange[] = [];
  await readArchive(home, ({ event }) => {
    if (event['detail-type'] !== 'TableCrawled') return;
    const detail = TableCrawledDetailSchema.safeParse(event.detail);
    if (!detail.success) return;
    for (const change of detail.data.schemaChanged) {
      if (only && (only.database !== detail.data.database || only.table !== change.table)) continue;
      changes.push({ time: event.time, zone: detail.data.zone, crawler: detail.data.crawlerName, database: detail.data.database, table: change.table, addedColumns: change.addedColumns });
    }
  });
  return changes;
}
