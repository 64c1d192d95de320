import type { DuckDBConnection } from '@duckdb/node-api';
import { AthenaErrorName, AthenaQueryError } from './athena-query-error';
import type { AthenaStatement } from './athena-statement';
import { ATHENA_CATALOG } from './catalog-views';
import { sqlLiteral } from './sql-quote';

const ALLOWED_TABLE_FUNCTIONS = new Set(['unnest', 'range', 'generate_series']);
const DENIED_FUNCTIONS = new Set(['getenv', 'current_setting', 'read_text', 'read_blob', 'glob', 'sniff_csv', 'parquet_metadata', 'parquet_schema', 'parquet_file_metadata', 'parquet_kv_metadata']);

/**
 * Checks a statement a user typed before the read-only engine runs it: only queries (SELECT/WITH),
 * SHOW, DESCRIBE and EXPLAIN pass, and a query may read catalog tables only — no file-reading table
 * functions (`read_csv`, `read_parquet`, `read_json*`, `glob`, `parquet_*` …), no `'path/file.csv'`
 * used as a table, no DuckDB system catalogs. DuckDB's parser does the finding
 * (`json_serialize_sql`), so string literals and quoting cannot hide a reference. DuckDB's own
 * `enable_external_access=false` with `allowed_directories` set to the lake is the second line.
 */
export async function assertReadOnly(connection: DuckDBConnection, statement: AthenaStatement, translated: string): Promise<void> {
  if (statement.kind === 'utility' && statement.verb !== 'explain') return;
  if (statement.kind !== 'query' && statement.kind !== 'utility') {
    throw denied(`only SELECT, WITH, SHOW, DESCRIBE and EXPLAIN may run here; this is a ${statement.kind.toUpperCase()} statement`);
  }
  const body = statement.kind === 'utility' ? translated.replace(/^\s*explain(\s+analyze)?/i, '') : translated;
  if (body.trim() === '') return;
  const reader = await connection.runAndReadAll(`SELECT json_serialize_sql(${sqlLiteral(body)})`);
  const json: unknown = JSON.parse(String(reader.getRows()[0]?.[0] ?? '{}'));
  if (isRecord(json) && json.error === true) return;
  if (isRecord(json) && Array.isArray(json.statements) && json.statements.length !== 1) throw denied('exactly one statement per query');
  walk(json);
}

function walk(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(walk);
    return;
  }
  if (!isRecord(node)) return;
  if (node.type === 'TABLE_FUNCTION') {
    const fn = isRecord(node.function) ? String(node.function.function_name ?? '') : '';
    if (!ALLOWED_TABLE_FUNCTIONS.has(fn.toLowerCase())) throw denied(`table function '${fn}' is not allowed; query catalog tables instead`);
  }
  if (node.type === 'BASE_TABLE') {
    const catalog = String(node.catalog_name ?? '');
    const schema = String(node.schema_name ?? '');
    const table = String(node.table_name ?? '');
    if (catalog !== '' && catalog.toLowerCase() !== ATHENA_CATALOG) throw denied(`catalog '${catalog}' is not available; use ${ATHENA_CATALOG}`);
    if (schema === '' && /[/\\]|\.\w+$/.test(table)) throw denied(`reading files directly ('${table}') is not allowed; query catalog tables instead`);
    if (['pg_catalog', 'system', 'temp'].includes(schema.toLowerCase())) throw denied(`schema '${schema}' is not available`);
  }
  if (node.class === 'FUNCTION' && DENIED_FUNCTIONS.has(String(node.function_name ?? '').toLowerCase())) {
    throw denied(`function '${String(node.function_name)}' is not allowed`);
  }
  for (const value of Object.values(node)) walk(value);
}

function denied(detail: string): AthenaQueryError {
  return new AthenaQueryError(AthenaErrorName.PermissionDenied, `read-only query engine: ${detail}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
