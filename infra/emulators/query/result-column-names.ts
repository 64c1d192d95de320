import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlLiteral } from './sql-quote';

/**
 * The column names Athena gives a SELECT's result: an alias or a plain column's name as written,
 * and `_col<N>` (0-based position) for any other unaliased expression, where DuckDB would name the
 * column after the expression text (`count_star()`). Falls back to DuckDB's names when the select
 * list has a `*` (positions are then unknown) or the text is not a plain SELECT.
 */
export async function athenaColumnNames(connection: DuckDBConnection, sql: string, duckNames: readonly string[]): Promise<readonly string[]> {
  const reader = await connection.runAndReadAll(`SELECT json_serialize_sql(${sqlLiteral(sql)})`);
  const json: unknown = JSON.parse(String(reader.getRows()[0]?.[0] ?? '{}'));
  const statements = isRecord(json) && Array.isArray(json.statements) ? json.statements : [];
  const first: unknown = statements[0];
  let node: unknown = isRecord(first) ? first.node : undefined;
  while (isRecord(node) && node.type === 'SET_OPERATION_NODE') node = node.left;
  if (!isRecord(node) || !Array.isArray(node.select_list) || node.select_list.length !== duckNames.length) return duckNames;
  const names: string[] = [];
  for (const [i, expression] of node.select_list.entries()) {
    if (!isRecord(expression) || expression.class === 'STAR') return duckNames;
    const alias = typeof expression.alias === 'string' ? expression.alias : '';
    const columnNames = Array.isArray(expression.column_names) ? expression.column_names : [];
    const last: unknown = columnNames[columnNames.length - 1];
    names.push(alias !== '' ? alias : expression.class === 'COLUMN_REF' && typeof last === 'string' ? last : `_col${i}`);
  }
  return names;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
