import { stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { isGone } from '../object-store/walk-files';
import { inferObjectSchema, type InferenceOptions, type ObjectInference } from './infer-object-schema';

/** Below this many Parquet files a crawl infers them one by one (two queries each). */
const BATCH_FROM = 8;

const sqlText = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * The verdicts of many Parquet files at the cost of a few queries instead of two per file: one
 * query reads every footer's schema elements and row count, the files are grouped by identical
 * schema elements (same names, physical, converted and logical types, nesting), and each group's
 * first file is inferred as `inferObjectSchema` infers any file; the others take its columns with
 * their own row counts. A crawl of a refined table of 1,461 one-row day partitions thus costs one
 * inference per distinct schema, not per partition. Files whose names do not end `.parquet` are left
 * out, and when a footer cannot be read (not Parquet, deleted meanwhile) the whole batch is: the
 * caller infers those one by one, with their own verdicts; so is a group whose first file is
 * deleted before it is inferred. Returns verdicts by file path.
 */
export async function inferParquetBatch(conn: DuckDBConnection, files: readonly { readonly file: string; readonly size: number }[], classifiers: InferenceOptions = {}): Promise<Map<string, ObjectInference>> {
  const parquet = files.filter((f) => f.file.toLowerCase().endsWith('.parquet'));
  const verdicts = new Map<string, ObjectInference>();
  if (parquet.length < BATCH_FROM) return verdicts;
  const list = `[${parquet.map((f) => sqlText(f.file)).join(', ')}]`;
  let rows: unknown[][];
  try {
    rows = (await conn.runAndReadAll([
      `SELECT s.file_name, s.signature, m.num_rows FROM (`,
      `  SELECT file_name, string_agg(concat_ws('|', name, type, type_length, repetition_type, num_children, converted_type, scale, precision, field_id, logical_type), ';' ORDER BY i) AS signature`,
      `  FROM (SELECT *, row_number() OVER () AS i FROM parquet_schema(${list})) GROUP BY file_name`,
      `) s JOIN (SELECT file_name, sum(num_rows) AS num_rows FROM parquet_file_metadata(${list}) GROUP BY file_name) m USING (file_name)`,
    ].join('\n'))).getRowsJson();
  } catch {
    return verdicts;
  }
  const groups = new Map<string, { file: string; rows: number }[]>();
  for (const [file, signature, count] of rows) {
    const members = groups.get(String(signature)) ?? [];
    members.push({ file: String(file), rows: Number(count) });
    groups.set(String(signature), members);
  }
  const sizeOf = new Map(parquet.map((f) => [f.file, f.size]));
  for (const [first, ...rest] of groups.values()) {
    if (first === undefined) continue;
    const verdict = await inferObjectSchema(conn, first.file, sizeOf.get(first.file) ?? 0, classifiers).catch((err: unknown) => (isGone(err) ? undefined : Promise.reject(err)));
    // Deleted since its footer was read (a partition swap): the group is left to the caller, who
    // infers each file and leaves out those that vanished.
    if (verdict === undefined || (!verdict.ok && (await stat(first.file).then(() => false, (err: unknown) => isGone(err))))) continue;
    verdicts.set(first.file, verdict);
    if (!verdict.ok || verdict.schema.classification !== 'parquet') continue;
    for (const mate of rest) verdicts.set(mate.file, { ok: true, schema: { ...verdict.schema, recordCount: mate.rows } });
  }
  return verdicts;
}
