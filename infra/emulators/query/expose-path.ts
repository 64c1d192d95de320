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
  /** The objects a top-level `"$path" IN (…)` / `= …` filter of the reading SELECT keeps, if it has one. */
  readonly paths?: ReadonlySet<string>;
}

/**
 * Gives the view of a catalog table narrowed to some objects (by `"$path"`), defining it if needed:
 * the view's name in the table's schema.
 */
export type NarrowTable = (schema: string | undefined, table: string, paths: ReadonlySet<string>) => Promise<string>;

/**
 * Lets a query read `"$path"` while `SELECT *` stays without it, as in Athena where `$path` is a
 * hidden column: a catalog table's plain view omits it, and only a query that names `"$path"` has
 * its catalog table references pointed at the `t$path` view (aliased back to the table's name, so
 * `t."$path"` still resolves). DuckDB's parser (`json_serialize_sql`) finds the references and their
 * offsets; CTE names are left alone. Offsets stay mapped to the Athena text.
 *
 * A SELECT that reads one catalog table alone and keeps only some objects by a top-level `AND` term
 * of its WHERE (`"$path" IN ('s3://…', …)` or `"$path" = 's3://…'`) reads a view of those objects'
 * files only (`narrow`): the other files' rows could not pass that WHERE, so the result is the same,
 * and their bytes are never parsed (DuckDB's JSON reader does not skip files on such a filter).
 */
export async function exposePath(
  connection: DuckDBConnection,
  translated: TranslatedSql,
  isCatalogTable: (schema: string | undefined, table: string) => boolean,
  narrow?: NarrowTable,
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
    const schema = ref.schema === '' ? undefined : ref.schema;
    const view = ref.paths !== undefined && narrow !== undefined ? await narrow(schema, ref.table, ref.paths) : pathViewName(ref.table);
    replacements.set(last.start, `${sqlIdentifier(view)}${ref.alias === '' ? ` AS ${sqlIdentifier(ref.table)}` : ''}`);
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

function collect(node: unknown, ctes: Set<string>, refs: TableRef[], paths?: ReadonlySet<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, ctes, refs);
    return;
  }
  if (!isRecord(node)) return;
  if (isRecord(node.cte_map) && Array.isArray(node.cte_map.map)) {
    for (const entry of node.cte_map.map) if (isRecord(entry) && typeof entry.key === 'string') ctes.add(entry.key.toLowerCase());
  }
  if (node.type === 'BASE_TABLE' && typeof node.query_location === 'number' && typeof node.table_name === 'string') {
    refs.push({ location: node.query_location, alias: String(node.alias ?? ''), schema: String(node.schema_name ?? ''), table: node.table_name, ...(paths ? { paths } : {}) });
  }
  for (const [key, value] of Object.entries(node)) {
    // A SELECT reading one table alone passes its `"$path"` filter to that table's reference.
    const kept = key === 'from_table' && node.type === 'SELECT_NODE' && isRecord(value) && value.type === 'BASE_TABLE' ? pathsKept(node.where_clause, value) : undefined;
    collect(value, ctes, refs, kept);
  }
}

/**
 * The objects a WHERE keeps by `"$path"`: the string constants of its top-level `AND` terms
 * `"$path" IN (…)` and `"$path" = …` (intersected when there are several), where `"$path"` is the
 * table's own (unqualified, or qualified by its alias or name). Undefined when no such term exists.
 */
function pathsKept(where: unknown, table: Record<string, unknown>): ReadonlySet<string> | undefined {
  const qualifiers = new Set([String(table.alias ?? ''), String(table.table_name ?? '')].filter((q) => q !== '').map((q) => q.toLowerCase()));
  const isPath = (e: unknown): boolean => {
    if (!isRecord(e) || e.class !== 'COLUMN_REF' || !Array.isArray(e.column_names)) return false;
    const names = e.column_names.map((n) => String(n).toLowerCase());
    return names[names.length - 1] === '$path' && (names.length === 1 || (names.length === 2 && qualifiers.has(names[0] ?? '')));
  };
  const text = (e: unknown): string | undefined => {
    if (!isRecord(e) || e.class !== 'CONSTANT' || !isRecord(e.value) || e.value.is_null !== false) return undefined;
    const type = isRecord(e.value.type) ? e.value.type.id : undefined;
    return type === 'VARCHAR' && typeof e.value.value === 'string' ? e.value.value : undefined;
  };
  const terms = isRecord(where) && where.type === 'CONJUNCTION_AND' && Array.isArray(where.children) ? where.children : [where];
  let kept: Set<string> | undefined;
  for (const term of terms) {
    if (!isRecord(term)) continue;
    let values: (string | undefined)[] | undefined;
    if (term.type === 'COMPARE_IN' && Array.isArray(term.children) && isPath(term.children[0])) values = term.children.slice(1).map(text);
    else if (term.type === 'COMPARE_EQUAL' && isPath(term.left)) values = [text(term.right)];
    else if (term.type === 'COMPARE_EQUAL' && isPath(term.right)) values = [text(term.left)];
    if (values === undefined || values.some((v) => v === undefined)) continue;
    const these = new Set(values as string[]);
    kept = kept === undefined ? these : new Set([...kept].filter((p) => these.has(p)));
  }
  return kept;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
