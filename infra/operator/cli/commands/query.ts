import type { Command } from 'commander';
import { formatTable } from '../format';
import { DEFAULT_QUERY_TIMEOUT_MS } from '../query-timeout';
import { openReadSide } from '../../read-side/read-side';
import { resultColumns, toCsv } from '../../read-side/sql-read';
import type { CliContext } from '../cli-context';

/** Parses a number of seconds > 0 (fractions allowed), naming the option when it is not one. */
function positiveSeconds(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || value.trim() === '') throw new Error(`${name} must be a number of seconds > 0, got ${JSON.stringify(value)}`);
    return n;
  };
}

/** `tributary query "<sql>"`: read-only Athena SQL over the catalog's tables (`database.table`). */
export function registerQueryCommand(program: Command, ctx: CliContext): void {
  program
    .command('query <sql>')
    .description('Run read-only Athena SQL against the catalog: SELECT over database.table, SHOW DATABASES, SHOW TABLES [IN db], SHOW COLUMNS IN t, SHOW PARTITIONS t, DESCRIBE t.')
    .option('--json', 'print a JSON array of row objects')
    .option('--csv', 'print CSV (a header line, RFC 4180 quoting; NULL is an empty field)')
    .option('--timeout <seconds>', 'interrupt the query after this many seconds (exit 1)', positiveSeconds('--timeout'), DEFAULT_QUERY_TIMEOUT_MS / 1000)
    .action(async (sql: string, options: { json?: boolean; csv?: boolean; timeout: number }) => {
      const side = await openReadSide(ctx.home());
      try {
        const rows = await side.query(sql, { timeoutMs: options.timeout * 1000 });
        if (options.csv) return ctx.out(toCsv(resultColumns(rows), rows).replace(/\r\n$/, ''));
        ctx.out(options.json ? JSON.stringify(rows) : `${formatTable(rows)}\n${rows.length} row(s)`);
      } finally {
        await side.close();
      }
    });
}
