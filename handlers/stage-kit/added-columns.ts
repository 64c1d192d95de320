import type { TableSchemaChange } from '../../contracts/domain-events';
import type { GlueTable } from '../ports/catalog';
import type { CatalogReader } from '../stage-needs';

/** How far back through a table's versions one crawl's own updates are looked for. */
const MAX_VERSIONS_PER_CRAWL = 10;

const at = (iso: string | undefined): number => (iso === undefined ? Number.NaN : Date.parse(iso));

/**
 * The columns a crawl that started at `crawlStart` added to each of `tables`, from the catalog alone,
 * so it reads the same on Glue (whose crawler event carries only counters) and locally: a table
 * created since is all new; a table updated since is compared with its newest version older than the
 * crawl (Glue archives every UpdateTable as a version). Tables without added columns are left out.
 * Only additions are reported: under `MergeNewColumns` a crawl never drops or retypes a column.
 */
export async function addedColumns(catalog: CatalogReader, database: string, tables: readonly string[], crawlStart: string): Promise<TableSchemaChange[]> {
  const start = at(crawlStart);
  const changes: TableSchemaChange[] = [];
  for (const name of tables) {
    const table = await catalog.getTable(database, name);
    if (!table || !(at(table.UpdateTime ?? table.CreateTime) >= start)) continue;
    const before = at(table.CreateTime) >= start ? undefined : await versionBefore(catalog, database, table, start);
    const known = new Set((before?.StorageDescriptor.Columns ?? []).map((c) => c.Name));
    const added = table.StorageDescriptor.Columns.filter((c) => !known.has(c.Name)).map((c) => ({ name: c.Name, type: c.Type }));
    if (added.length > 0) changes.push({ table: table.Name, addedColumns: added });
  }
  return changes;
}

/** The newest version of a table written before `start`; the table itself when its history is gone (nothing reported). */
async function versionBefore(catalog: CatalogReader, database: string, table: GlueTable, start: number): Promise<GlueTable> {
  const current = Number(table.VersionId ?? '0');
  for (let v = current - 1; v >= 0 && v >= current - MAX_VERSIONS_PER_CRAWL; v--) {
    const version = await catalog.getTableVersion(database, table.Name, String(v));
    if (!version) break;
    if (at(version.UpdateTime ?? version.CreateTime) < start) return version;
  }
  return table;
}
