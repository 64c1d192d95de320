import type { CatalogPort } from '../../../handlers/ports/catalog';
import { AthenaErrorName, AthenaQueryError } from './athena-query-error';
import { ATHENA_CATALOG } from './catalog-views';
import { identifierName, isWord, significant, tokenize, TokenKind, type Token } from './sql-tokenizer';
import { sqlIdentifier, sqlLiteral } from './sql-quote';
import { META_SCHEMA } from './translate-sql';

const meta = (view: string): string => `${ATHENA_CATALOG}.${sqlIdentifier(META_SCHEMA)}.${sqlIdentifier(view)}`;

/**
 * Turns Athena's utility statements into DuckDB SQL over the catalog-backed metadata views, with the
 * column names Athena returns: `SHOW DATABASES|SCHEMAS` (database_name), `SHOW TABLES [IN db] ['regex']`
 * (tab_name), `SHOW VIEWS [IN db]` (views), `SHOW COLUMNS IN t [IN db]` (field), `SHOW PARTITIONS t`
 * (partition), `DESCRIBE t` (col_name, data_type, comment). `EXPLAIN …` goes to DuckDB's EXPLAIN.
 * Names are bound as literals, so nothing the user types reaches DuckDB as SQL here.
 */
export async function utilitySql(sql: string, database: string, catalog: CatalogPort, translate: (sql: string) => Promise<string>): Promise<string> {
  const tokens = significant(tokenize(sql));
  const words = tokens.map((t) => (t.kind === TokenKind.Word ? t.text.toLowerCase() : t.text));
  if (words[0] === 'explain') return `EXPLAIN ${await translate(sql.slice((tokens[1]?.start ?? sql.length)).replace(/^analyze\s+/i, ''))}`;
  if (words[0] === 'describe' || words[0] === 'desc') {
    const { db, table } = qualifiedAt(tokens, 1, database);
    await requireTable(catalog, db, table);
    return `SELECT column_name AS col_name, data_type, comment FROM ${meta('columns')} WHERE table_schema = ${sqlLiteral(db)} AND table_name = ${sqlLiteral(table)} ORDER BY ordinal_position`;
  }
  if (words[1] === 'databases' || words[1] === 'schemas') {
    return `SELECT schema_name AS database_name FROM ${meta('schemata')} WHERE schema_name <> 'information_schema' AND ${likeFilter('schema_name', tokens, 2)} ORDER BY 1`;
  }
  if (words[1] === 'tables' || words[1] === 'views') {
    const hasIn = words[2] === 'in' || words[2] === 'from';
    const db = hasIn && tokens[3] ? identifierName(tokens[3]) : database;
    const column = words[1] === 'tables' ? 'tab_name' : 'views';
    const onlyViews = words[1] === 'views' ? `AND table_type = 'VIEW'` : '';
    return `SELECT table_name AS ${column} FROM ${meta('tables')} WHERE table_schema = ${sqlLiteral(db)} ${onlyViews} AND ${likeFilter('table_name', tokens, hasIn ? 4 : 2)} ORDER BY 1`;
  }
  if (words[1] === 'columns' && (words[2] === 'in' || words[2] === 'from')) {
    const { db, table, next } = qualifiedAt(tokens, 3, database);
    const dbToken = words[next] === 'in' || words[next] === 'from' ? tokens[next + 1] : undefined;
    const explicitDb = dbToken === undefined ? db : identifierName(dbToken);
    await requireTable(catalog, explicitDb, table);
    return `SELECT column_name AS field FROM ${meta('columns')} WHERE table_schema = ${sqlLiteral(explicitDb)} AND table_name = ${sqlLiteral(table)} ORDER BY ordinal_position`;
  }
  if (words[1] === 'partitions') {
    const { db, table } = qualifiedAt(tokens, 2, database);
    const found = await requireTable(catalog, db, table);
    const names = found.PartitionKeys.map((k) => k.Name);
    const rows = (await catalog.getPartitions(db, table)).map((p) => p.Values.map((v, i) => `${names[i] ?? ''}=${v}`).join('/')).sort();
    if (rows.length === 0) return `SELECT CAST(NULL AS VARCHAR) AS "partition" WHERE false`;
    return `SELECT * FROM (VALUES ${rows.map((r) => `(${sqlLiteral(r)})`).join(', ')}) AS v("partition")`;
  }
  throw new AthenaQueryError(AthenaErrorName.NotSupported, `utility statement not supported locally: ${sql.slice(0, 60)}`);
}

function qualifiedAt(tokens: readonly Token[], index: number, database: string): { db: string; table: string; next: number } {
  const first = tokens[index];
  if (first === undefined || (first.kind !== TokenKind.Word && first.kind !== TokenKind.QuotedIdentifier)) {
    throw new AthenaQueryError(AthenaErrorName.SyntaxError, `expected a table name after '${tokens[index - 1]?.text ?? ''}'`);
  }
  const second = tokens[index + 2];
  if (tokens[index + 1]?.text === '.' && second !== undefined) return { db: identifierName(first), table: identifierName(second), next: index + 3 };
  return { db: database, table: identifierName(first), next: index + 1 };
}

async function requireTable(catalog: CatalogPort, db: string, table: string) {
  const found = await catalog.getTable(db, table);
  if (!found) throw new AthenaQueryError(AthenaErrorName.TableNotFound, `Table '${ATHENA_CATALOG}.${db}.${table}' does not exist`);
  return found;
}

/** Athena's SHOW pattern: `*` any characters, `|` alternatives, matched against the whole name. */
function likeFilter(column: string, tokens: readonly Token[], index: number): string {
  const literal = isWord(tokens[index], 'like') ? tokens[index + 1] : tokens[index];
  if (literal?.kind !== TokenKind.String) return 'true';
  const pattern = literal.text.slice(1, -1).replace(/''/g, "'");
  const regex = pattern.split('|').map((alt) => alt.split('*').map((part) => part.replace(/[.+?^${}()[\]\\]/g, '\\$&')).join('.*')).join('|');
  return `regexp_full_match(${column}, ${sqlLiteral(regex)})`;
}
