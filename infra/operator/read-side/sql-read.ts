import { randomUUID } from 'node:crypto';
import { PipelineError } from '../../../contracts/pipeline-error';

/** A row of a query result: Athena's strings by column name; NULL is undefined. */
export type ResultRow = Record<string, string | undefined>;

/** A finished query held for paging: its columns (in select order), rows and timing. */
export interface SqlResult {
  readonly id: string;
  readonly sql: string;
  readonly columns: readonly string[];
  readonly rows: readonly ResultRow[];
  readonly ranAt: string;
  readonly elapsedMs: number;
}

/** One page of a held result. */
export interface SqlPage {
  readonly id: string;
  readonly columns: readonly string[];
  readonly total: number;
  readonly offset: number;
  readonly rows: ReadonlyArray<ReadonlyArray<string | null>>;
}

/** A result id that is not (or no longer) held: run the query again. Not retryable as is. */
export class UnknownResultError extends PipelineError {
  constructor(id: string) {
    super(`no query result ${JSON.stringify(id)} (results are kept for the last few queries only); run the query again`, { retryable: false });
  }
}

/** The columns of a result in select order: the keys of its rows, first appearance first. */
export function resultColumns(rows: readonly ResultRow[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

function csvCell(value: string | undefined): string {
  if (value === undefined) return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A result as CSV (RFC 4180: a header line, CRLF line ends, fields quoted only when they must be; NULL is an empty field). */
export function toCsv(columns: readonly string[], rows: readonly ResultRow[]): string {
  return [columns.map((c) => csvCell(c)).join(','), ...rows.map((row) => columns.map((c) => csvCell(row[c])).join(','))].map((line) => `${line}\r\n`).join('');
}

/**
 * Runs read-only SQL and holds the last few results by id, so a client pages through a result (and
 * downloads it as CSV) without running the query again. The engine underneath is the read side's
 * read-only one: a write statement fails with Athena's reason.
 */
export class SqlResults {
  private readonly held = new Map<string, SqlResult>();

  constructor(
    private readonly query: (sql: string) => Promise<readonly ResultRow[]>,
    private readonly keep = 8,
  ) {}

  /** Runs `sql`; resolves with the held result, rejects with the engine's reason when it fails. */
  async run(sql: string): Promise<SqlResult> {
    if (sql.trim() === '') throw new PipelineError('the query is empty: type a SELECT, SHOW or DESCRIBE statement', { retryable: false });
    const started = Date.now();
    const rows = await this.query(sql);
    const result: SqlResult = { id: randomUUID(), sql, columns: resultColumns(rows), rows, ranAt: new Date(started).toISOString(), elapsedMs: Date.now() - started };
    this.held.set(result.id, result);
    for (const id of this.held.keys()) if (this.held.size > this.keep) this.held.delete(id);
    return result;
  }

  /** A held result; throws UnknownResultError when it was never run or has been let go. */
  get(id: string): SqlResult {
    const result = this.held.get(id);
    if (result === undefined) throw new UnknownResultError(id);
    return result;
  }

  /** Rows `[offset, offset + limit)` of a held result, as arrays in column order (NULL is null). */
  page(id: string, offset: number, limit: number): SqlPage {
    const result = this.get(id);
    const rows = result.rows.slice(offset, offset + limit).map((row) => result.columns.map((c) => row[c] ?? null));
    return { id, columns: result.columns, total: result.rows.length, offset, rows };
  }

  /** A held result as CSV. */
  csv(id: string): string {
    const result = this.get(id);
    return toCsv(result.columns, result.rows);
  }
}
