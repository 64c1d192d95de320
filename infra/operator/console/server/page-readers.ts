import { openReadOnlyQuery, type ReadOnlyQuery } from '../../read-side/read-side';
import { SqlResults } from '../../read-side/sql-read';
import type { ConsoleContext } from './console-context';

/** The readers the catalog, SQL and forecast pages share per console: one read-only engine and the held SQL results. */
export interface PageReaders {
  readonly sql: ReadOnlyQuery;
  readonly results: SqlResults;
}

const opened = new WeakMap<ConsoleContext, PageReaders>();

/**
 * The page readers of a console, opened at first use: users' SQL runs on a read-only engine of its
 * own (as the Athena endpoint's does), never on the pipeline's, so it neither writes nor queues
 * behind refines. The engine lives as long as the console's process.
 */
export function pageReaders(ctx: ConsoleContext): PageReaders {
  let readers = opened.get(ctx);
  if (readers === undefined) {
    const sql = openReadOnlyQuery(ctx.home);
    readers = { sql, results: new SqlResults((text) => sql.query(text)) };
    opened.set(ctx, readers);
  }
  return readers;
}
