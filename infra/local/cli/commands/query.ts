import type { Command } from 'commander';
import { formatTable } from '../format';
import { openReadSide } from '../read-side';
import type { CliContext } from '../cli-context';

/** `tributary query "<sql>"`: read-only Athena SQL over the catalog's tables (`database.table`). */
export function registerQueryCommand(program: Command, ctx: CliContext): void {
  program
    .command('query <sql>')
    .description('Run read-only Athena SQL against the catalog (tables as database.table; information_schema.tables lists them).')
    .option('--json', 'print a JSON array of row objects')
    .action(async (sql: string, options: { json?: boolean }) => {
      const side = await openReadSide(ctx.home());
      try {
        const rows = await side.query(sql);
        ctx.out(options.json ? JSON.stringify(rows) : `${formatTable(rows)}\n${rows.length} row(s)`);
      } finally {
        await side.close();
      }
    });
}
