import { resultsHaveHeaderRow, type QueryEnginePort, type QueryExecution } from '../ports/query-engine';

/**
 * Reads every row of a finished query as objects keyed by column name (values are Athena's strings;
 * NULL is undefined), following `NextToken` pages. Athena's header row is skipped only where Athena
 * sends one (a SELECT; not SHOW, DESCRIBE or EXPLAIN: `resultsHaveHeaderRow`), so the first row of a
 * utility statement is kept. Given only the id, the statement type is looked up with GetQueryExecution.
 */
export async function readQueryRows(engine: QueryEnginePort, query: string | Pick<QueryExecution, 'QueryExecutionId' | 'StatementType'>): Promise<Record<string, string | undefined>[]> {
  const execution = typeof query === 'string' ? await engine.getQueryExecution(query) : query;
  const rows: Record<string, string | undefined>[] = [];
  let token: string | undefined;
  let first = true;
  do {
    const page = await engine.getQueryResults(execution.QueryExecutionId, { MaxResults: 1000, ...(token ? { NextToken: token } : {}) });
    const names = page.ResultSet.ResultSetMetadata.ColumnInfo.map((c) => c.Name);
    const skip = first && resultsHaveHeaderRow(execution.StatementType, page.UpdateCount) ? 1 : 0;
    for (const row of page.ResultSet.Rows.slice(skip)) rows.push(Object.fromEntries(names.map((n, j) => [n, row.Data[j]?.VarCharValue])));
    first = false;
    token = page.NextToken;
  } while (token);
  return rows;
}
