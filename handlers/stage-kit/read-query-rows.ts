import type { QueryEnginePort } from '../ports/query-engine';

/**
 * Reads every row of a finished SELECT as objects keyed by column name (values are Athena's
 * strings; NULL is undefined), following `NextToken` pages and skipping Athena's header row.
 */
export async function readQueryRows(engine: QueryEnginePort, queryExecutionId: string): Promise<Record<string, string | undefined>[]> {
  const rows: Record<string, string | undefined>[] = [];
  let token: string | undefined;
  let first = true;
  do {
    const page = await engine.getQueryResults(queryExecutionId, { MaxResults: 1000, ...(token ? { NextToken: token } : {}) });
    const names = page.ResultSet.ResultSetMetadata.ColumnInfo.map((c) => c.Name);
    page.ResultSet.Rows.forEach((row, i) => {
      if (first && i === 0) return;
      rows.push(Object.fromEntries(names.map((n, j) => [n, row.Data[j]?.VarCharValue])));
    });
    first = false;
    token = page.NextToken;
  } while (token);
  return rows;
}
