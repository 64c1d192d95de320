import type { DuckDBConnection } from '@duckdb/node-api';
import { significant, tokenize, TokenKind } from './sql-tokenizer';
import { sqlIdentifier, sqlLiteral } from './sql-quote';
import { originOf, type TranslatedSql } from './translate-sql';

/** The DuckDB view of a catalog table that also has the `"$path"` column (Glue names cannot hold `$`). */
export function pathViewName(table: string): string {
  return `${table}$path`;
}

interface TableRef {
  readonly location: number;
  readonly alias: string;
  readonly schema: string;
  readonly table: string;
}

/**
 * Lets a query read `"$path"` while `SELECT *` stays without it, as in Athena where `$path` is a
 * hidden column: a catalog table's plain view omits it, and only a query that names `"$path"` has
 * its catalog table references pointed at the `t$path` view (aliased back to the table's name, so
 * `t."$path"` still resolves). DuckDB's parser (`json_serialize_sql`) finds the references and their
 * offsets; CTE names are left alone. Offsets stay mapped to the Athena text.
 */
export async function exposePath(
  connection: DuckDBConnection,
  translated: TranslatedSql,
  isCatalogTable: (schema: string | undefined, table: string) => boolean,
): Promise<TranslatedSql> {
  const tokens = tokenize(translated.sql);
  if (!tokens.some((t) => t.kind === TokenKind.QuotedIdentifier && t.text.toLowerCase() === '"$path"')) return translated;
  const reader = await connection.runAndReadAll(`SELECT json_serialize_sql(${sqlLiteral(translated.sql)})`);
  const json: unknown = JSON.parse(String(reader.getRows()[0]?.[0] ?? '{}'));
  if (!isRecord(json) || json.error === true) return translated;
  const ctes = new Set<string>();
  const refs: TableRef[] = [];
  collect(json, ctes, refs);
  const replacements = new Map<number, string>();
  const sig = significant(tokens);
  for (const ref of refs) {
    if ((ref.schema === '' && ctes.has(ref.table.toLowerCase())) || !isCatalogTable(ref.schema === '' ? undefined : ref.schema, ref.table)) continue;
    let i = sig.findIndex((t) => t.start === ref.location);
    if (i === -1) continue;
    while (sig[i + 1]?.text === '.' && sig[i + 2] !== undefined) i += 2;
    const last = sig[i];
    if (last === undefined) continue;
    replacements.set(last.start, `${sqlIdentifier(pathViewName(ref.table))}${ref.alias === '' ? ` AS ${sqlIdentifier(ref.table)}` : ''}`);
  }
  if (replacements.size === 0) return translated;
  const offsets: [number, number][] = [];
  const parts: string[] = [];
  let length = 0;
  for (const token of tokens) {
    const text = replacements.get(token.start) ?? token.text;
    offsets.push([length, originOf(translated, token.start)]);
    parts.push(text);
    length += text.length;
  }
  return { sql: parts.join(''), offsets };
}

function collect(node: unknown, ctes: Set<string>, refs: TableRef[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, ctes, refs);
    return;
  }
  if (!isRecord(node)) return;
  if (isRecord(node.cte_map) && Array.isArray(node.cte_map.map)) {
    for (const entry of node.cte_map.map) if (isRecord(entry) && typeof entry.key === 'string') ctes.add(entry.key.toLowerCase());
  }
  if (node.type === 'BASE_TABLE' && typeof node.query_location === 'number' && typeof node.table_name === 'string') {
    refs.push({ location: node.query_location, alias: String(node.alias ?? ''), schema: String(node.schema_name ?? ''), table: node.table_name });
  }
  for (const value of Object.values(node)) collect(value, ctes, refs);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
