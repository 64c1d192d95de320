import type { DuckDBConnection } from '@duckdb/node-api';
import type { CatalogPort } from '../../../handlers/ports/catalog';
import type { TranslatedSql } from './translate-sql';

/** A finished statement's results: typed columns and rows of strings (undefined for NULL). */
export interface StatementResult {
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly (readonly (string | undefined)[])[];
  readonly updateCount?: number;
}

/** What a statement runs against. `translate` turns Athena SQL into DuckDB SQL (errors Athena-worded). */
export interface StatementContext {
  readonly connection: DuckDBConnection;
  readonly catalog: CatalogPort;
  readonly home: string;
  readonly database: string;
  readonly queryId: string;
  readonly translate: (sql: string) => Promise<TranslatedSql>;
}

/** The names and DuckDB types of a query's result columns, without running it (DuckDB `DESCRIBE`). */
export async function describeQuery(ctx: StatementContext, query: string): Promise<{ name: string; type: string }[]> {
  const reader = await ctx.connection.runAndReadAll(`DESCRIBE ${(await ctx.translate(query)).sql}`);
  return reader.getRows().map((r) => ({ name: String(r[0]), type: String(r[1]) }));
}
