import type { GlueColumn, GluePartitionInput, GlueStorageDescriptor, GlueTableInput } from '../../../handlers/ports/catalog';
import { renderGlueType, widenGlueType, type GlueType } from './glue-type';
import type { ClassifiedObject, PartitionPlan, TablePlan } from './plan-tables';

const TEXT_INPUT = 'org.apache.hadoop.mapred.TextInputFormat';
const TEXT_OUTPUT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

/** A column whose type differs between files of one crawl, resolved by widening. */
export interface TypeConflict {
  readonly column: string;
  readonly types: readonly string[];
  readonly resolved: string;
}

/**
 * The columns of a set of files: first-seen order, types merged by widening (new columns of later
 * files appended, as Glue's union of partition schemas). Columns named like a partition key are
 * dropped (a table cannot have both) and reported by the caller via `shadowed`.
 */
export function mergeColumns(objects: readonly ClassifiedObject[], partitionKeys: readonly string[] = []): { columns: GlueColumn[]; conflicts: TypeConflict[]; shadowed: string[] } {
  const merged = new Map<string, GlueType>();
  const seen = new Map<string, Set<string>>();
  for (const o of objects) {
    for (const c of o.schema.columns) {
      const prev = merged.get(c.name);
      merged.set(c.name, prev === undefined ? c.type : widenGlueType(prev, c.type));
      const set = seen.get(c.name) ?? new Set<string>();
      if (c.type.kind !== 'null') set.add(renderGlueType(c.type));
      seen.set(c.name, set);
    }
  }
  const keys = new Set(partitionKeys);
  const columns = [...merged.entries()].filter(([n]) => !keys.has(n)).map(([Name, t]) => ({ Name, Type: renderGlueType(t) }));
  const conflicts = [...seen.entries()].filter(([, s]) => s.size > 1).map(([column, s]) => ({ column, types: [...s], resolved: renderGlueType(merged.get(column) ?? { kind: 'null' }) }));
  return { columns, conflicts, shadowed: [...merged.keys()].filter((n) => keys.has(n)) };
}

/** Table `Parameters` a crawler writes: classification, statistics, CSV dialect, crawler marks. */
export function crawlerParameters(objects: readonly ClassifiedObject[], crawlerName: string, runId: string): Record<string, string> {
  const first = objects[0]?.schema;
  const records = objects.reduce((n, o) => n + o.schema.recordCount, 0);
  const size = objects.reduce((n, o) => n + o.size, 0);
  const params: Record<string, string> = {
    classification: first?.classification ?? 'UNKNOWN',
    compressionType: first?.compressionType ?? 'none',
    typeOfData: 'file',
    recordCount: String(records),
    averageRecordSize: String(records === 0 ? 0 : Math.round(size / records)),
    objectCount: String(objects.length),
    sizeKey: String(size),
    UPDATED_BY_CRAWLER: crawlerName,
    CrawlerSchemaSerializerVersion: '1.0',
    CrawlerSchemaDeserializerVersion: '1.0',
    CRAWL_RUN_ID: runId,
  };
  const csv = first?.csv;
  if (csv) {
    params.delimiter = csv.delimiter;
    params.areColumnsQuoted = String(csv.quoted);
    params.columnsOrdered = 'true';
    if (csv.header) params['skip.header.line.count'] = '1';
    if (csv.quoted) params.customSerde = 'OpenCSVSerDe';
  }
  return params;
}

/** The storage descriptor of a table or partition: Glue's formats and SerDe per classification. */
export function storageDescriptor(columns: readonly GlueColumn[], location: string, objects: readonly ClassifiedObject[], parameters: Record<string, string>): GlueStorageDescriptor {
  const schema = objects[0]?.schema;
  const base = { Columns: columns, Location: location, Compressed: schema?.compressionType !== 'none', NumberOfBuckets: -1, Parameters: parameters };
  if (schema?.classification === 'parquet') {
    return {
      ...base,
      InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', Parameters: { 'serialization.format': '1' } },
    };
  }
  if (schema?.classification === 'json') {
    const paths = columns.map((c) => c.Name).sort().join(',');
    return { ...base, InputFormat: TEXT_INPUT, OutputFormat: TEXT_OUTPUT, SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe', Parameters: { paths } } };
  }
  const delim = schema?.csv?.delimiter ?? ',';
  const serde: GlueStorageDescriptor['SerdeInfo'] = schema?.csv?.quoted
    ? { SerializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde', Parameters: { separatorChar: delim, quoteChar: '"' } }
    : { SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', Parameters: { 'field.delim': delim } };
  return { ...base, InputFormat: TEXT_INPUT, OutputFormat: TEXT_OUTPUT, SerdeInfo: serde };
}

/** The TableInput for a planned table with the given (already merged) columns. */
export function tableInputOf(plan: TablePlan, columns: readonly GlueColumn[], location: string, crawlerName: string, runId: string): GlueTableInput {
  const params = crawlerParameters(plan.objects, crawlerName, runId);
  return {
    Name: plan.name,
    TableType: 'EXTERNAL_TABLE',
    Parameters: params,
    PartitionKeys: plan.partitionKeys.map((Name) => ({ Name, Type: 'string' })),
    StorageDescriptor: storageDescriptor(columns, location, plan.objects, params),
  };
}

/** The PartitionInput for one partition with its own columns (or the table's, under InheritFromTable). */
export function partitionInputOf(partition: PartitionPlan, columns: readonly GlueColumn[], location: string, crawlerName: string, runId: string): GluePartitionInput {
  const params = crawlerParameters(partition.objects, crawlerName, runId);
  return { Values: partition.values, Parameters: params, StorageDescriptor: storageDescriptor(columns, location, partition.objects, params) };
}
