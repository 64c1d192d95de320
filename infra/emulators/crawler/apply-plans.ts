import type { CatalogPort, GlueColumn, GluePartitionInput, GlueStorageDescriptor, GlueTable } from '../../../handlers/ports/catalog';
import { DeleteBehavior, UpdateBehavior } from '../../../handlers/ports/crawler';
import { mergeColumns, partitionInputOf, tableInputOf } from './build-catalog-input';
import { SchemaChangeKind, type CrawlCounters, type SchemaChange } from './crawl-report';
import type { TablePlan } from './plan-tables';

/** The catalog calls the crawler makes: the port plus Glue's BatchUpdatePartition. */
export type CrawlerCatalog = CatalogPort & {
  batchUpdatePartition(database: string, table: string, inputs: readonly GluePartitionInput[]): Promise<{ notFound: string[][] }>;
};

/** How the crawler treats existing tables; see `applyPlans`. */
export interface ApplyPolicy {
  readonly crawlerName: string;
  readonly runId: string;
  readonly database: string;
  readonly updateBehavior: UpdateBehavior;
  readonly deleteBehavior: DeleteBehavior;
  /** `CrawlerOutput.Tables.AddOrUpdateBehavior = MergeNewColumns`: only add columns. */
  readonly mergeNewColumns: boolean;
  /** `CrawlerOutput.Partitions.AddOrUpdateBehavior = InheritFromTable`. */
  readonly inheritFromTable: boolean;
}

/** A planned table and the S3 location of its root. */
export interface LocatedPlan {
  readonly plan: TablePlan;
  readonly location: string;
  readonly partitionLocation: (rel: string) => string;
}

const BATCH = 100;

/**
 * Writes planned tables and partitions into the catalog and counts what changed, as Glue does:
 * a new table is created with all its partitions; an existing table is compared column by column.
 * UPDATE_IN_DATABASE appends new columns, drops vanished ones and retypes changed ones (a new table
 * version); with MergeNewColumns only new columns are added and type changes are reported but not
 * applied (partition keys do change: a layout change is not a column retype, and a table left with
 * keys its files no longer fit would hide them from every query); LOG leaves the table alone and only reports. The table is rewritten only when its schema,
 * keys or format change (statistics alone do not make a new version). New partitions are always
 * added; a partition whose columns, format or location changed is updated (not under LOG); a
 * partition whose folder vanished is deleted unless DeleteBehavior is LOG.
 */
export async function applyPlans(catalog: CrawlerCatalog, located: readonly LocatedPlan[], policy: ApplyPolicy, counters: CrawlCounters): Promise<{ changes: SchemaChange[]; warnings: string[] }> {
  const changes: SchemaChange[] = [];
  const warnings: string[] = [];
  for (const { plan, location, partitionLocation } of located) {
    const merged = mergeColumns(plan.objects, plan.partitionKeys);
    for (const c of merged.conflicts) warnings.push(`table ${plan.name}: column ${c.column} has types ${c.types.join(', ')} across files; using ${c.resolved}`);
    for (const s of merged.shadowed) warnings.push(`table ${plan.name}: data column ${s} has the name of a partition key and is left out`);
    const existing = await catalog.getTable(policy.database, plan.name);
    let columns: readonly GlueColumn[] = merged.columns;
    let syncPartitions = true;
    if (!existing) {
      await catalog.createTable(policy.database, tableInputOf(plan, columns, location, policy.crawlerName, policy.runId));
      counters.tablesCreated++;
    } else {
      const outcome = reconcile(existing, merged.columns, plan, policy);
      changes.push(...outcome.changes);
      columns = outcome.columns;
      const desired = tableInputOf(plan, columns, location, policy.crawlerName, policy.runId);
      const keysChanged = outcome.changes.some((c) => c.kind === SchemaChangeKind.PartitionKeysChanged);
      const allowed = policy.updateBehavior === UpdateBehavior.UpdateInDatabase;
      if (allowed && shapeDiffers(existing, desired.StorageDescriptor, desired.PartitionKeys)) {
        await catalog.updateTable(policy.database, desired);
        counters.tablesUpdated++;
      }
      if (keysChanged && !allowed) {
        syncPartitions = false;
        warnings.push(`table ${plan.name}: partition keys changed; table kept under ${policy.updateBehavior}, partitions not synchronised`);
      }
    }
    if (syncPartitions) await syncTablePartitions(catalog, plan, columns, partitionLocation, policy, counters);
  }
  return { changes, warnings };
}

function reconcile(existing: GlueTable, crawled: readonly GlueColumn[], plan: TablePlan, policy: ApplyPolicy): { columns: GlueColumn[]; changes: SchemaChange[] } {
  const update = policy.updateBehavior === UpdateBehavior.UpdateInDatabase;
  const retype = update && !policy.mergeNewColumns;
  const byName = new Map(crawled.map((c) => [c.Name, c.Type]));
  const oldNames = new Set(existing.StorageDescriptor.Columns.map((c) => c.Name));
  const changes: SchemaChange[] = [];
  const columns: GlueColumn[] = [];
  for (const old of existing.StorageDescriptor.Columns) {
    const type = byName.get(old.Name);
    if (type === undefined) {
      changes.push({ table: plan.name, kind: SchemaChangeKind.ColumnRemoved, column: old.Name, from: old.Type, applied: retype });
      if (!retype) columns.push(old);
    } else if (type !== old.Type) {
      changes.push({ table: plan.name, kind: SchemaChangeKind.TypeChanged, column: old.Name, from: old.Type, to: type, applied: retype });
      columns.push(retype ? { ...old, Type: type } : old);
    } else columns.push(old);
  }
  for (const c of crawled) {
    if (oldNames.has(c.Name)) continue;
    changes.push({ table: plan.name, kind: SchemaChangeKind.ColumnAdded, column: c.Name, to: c.Type, applied: update });
    if (update) columns.push(c);
  }
  const oldKeys = existing.PartitionKeys.map((k) => k.Name).join(',');
  const newKeys = plan.partitionKeys.join(',');
  if (oldKeys !== newKeys) changes.push({ table: plan.name, kind: SchemaChangeKind.PartitionKeysChanged, from: oldKeys, to: newKeys, applied: update });
  return { columns: update ? columns : [...existing.StorageDescriptor.Columns], changes };
}

function shapeDiffers(existing: GlueTable, sd: GlueStorageDescriptor, keys: readonly GlueColumn[]): boolean {
  return shape(existing.StorageDescriptor, existing.PartitionKeys) !== shape(sd, keys);
}

function shape(sd: GlueStorageDescriptor, keys: readonly GlueColumn[]): string {
  const cols = (cs: readonly GlueColumn[]) => cs.map((c) => `${c.Name}:${c.Type}`);
  return JSON.stringify([cols(sd.Columns), cols(keys), sd.Location, sd.InputFormat, sd.SerdeInfo?.SerializationLibrary, sd.SerdeInfo?.Parameters, sd.Compressed]);
}

async function syncTablePartitions(catalog: CrawlerCatalog, plan: TablePlan, tableColumns: readonly GlueColumn[], partitionLocation: (rel: string) => string, policy: ApplyPolicy, counters: CrawlCounters): Promise<void> {
  const { database, crawlerName, runId } = policy;
  const existing = new Map((await catalog.getPartitions(database, plan.name)).map((p) => [JSON.stringify(p.Values), p]));
  const wanted = new Set<string>();
  const create: GluePartitionInput[] = [];
  const update: GluePartitionInput[] = [];
  for (const part of plan.partitions) {
    const key = JSON.stringify(part.values);
    wanted.add(key);
    const columns = policy.inheritFromTable ? tableColumns : mergeColumns(part.objects, plan.partitionKeys).columns;
    const input = partitionInputOf(part, columns, partitionLocation(part.rel), crawlerName, runId);
    const old = existing.get(key);
    if (!old) create.push(input);
    else if (policy.updateBehavior === UpdateBehavior.UpdateInDatabase && shape(old.StorageDescriptor, []) !== shape(input.StorageDescriptor, [])) update.push(input);
  }
  for (let i = 0; i < create.length; i += BATCH) {
    const { alreadyExists } = await catalog.batchCreatePartition(database, plan.name, create.slice(i, i + BATCH));
    counters.partitionsCreated += Math.min(BATCH, create.length - i) - alreadyExists.length;
  }
  if (update.length > 0) counters.partitionsUpdated += update.length - (await catalog.batchUpdatePartition(database, plan.name, update)).notFound.length;
  const vanished = [...existing.values()].filter((p) => !wanted.has(JSON.stringify(p.Values))).map((p) => p.Values);
  if (vanished.length > 0 && policy.deleteBehavior !== DeleteBehavior.Log) {
    await catalog.batchDeletePartition(database, plan.name, vanished);
    counters.partitionsDeleted += vanished.length;
  }
}
