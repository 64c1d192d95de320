import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { QueryState, StatementType, type QueryExecution, type StartQueryExecutionInput } from '../../../handlers/ports/query-engine';
import { readJsonFile, writeJsonAtomic } from '../catalog/atomic-json';
import type { StatementResult } from './statement-context';

const DateSchema = z.iso.datetime().transform((s) => new Date(s));

const InputSchema = z.object({
  QueryString: z.string(),
  QueryExecutionContext: z.object({ Database: z.string().optional(), Catalog: z.string().optional() }).optional(),
  WorkGroup: z.string().optional(),
  ExecutionParameters: z.array(z.string()).optional(),
  ClientRequestToken: z.string().optional(),
});

const ExecutionSchema = z.object({
  QueryExecutionId: z.string().min(1),
  Query: z.string(),
  StatementType: z.enum(Object.values(StatementType)),
  WorkGroup: z.string(),
  QueryExecutionContext: z.object({ Database: z.string().optional(), Catalog: z.string().optional() }),
  Status: z.object({
    State: z.enum(Object.values(QueryState)),
    StateChangeReason: z.string().optional(),
    SubmissionDateTime: DateSchema,
    CompletionDateTime: DateSchema.optional(),
    AthenaError: z.object({ ErrorCategory: z.number(), ErrorType: z.number(), Retryable: z.boolean(), ErrorMessage: z.string() }).optional(),
  }),
  Statistics: z.object({
    EngineExecutionTimeInMillis: z.number().optional(),
    TotalExecutionTimeInMillis: z.number().optional(),
    QueryQueueTimeInMillis: z.number().optional(),
    DataScannedInBytes: z.number().optional(),
  }),
});

/** A result without rows (DDL, INSERT, CTAS, UNLOAD): small, so it is kept across restarts. */
const RowlessResultSchema = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.never()),
  updateCount: z.number().optional(),
});

const EntrySchema = z.object({
  input: InputSchema,
  execution: ExecutionSchema,
  /** The sequence number of the last state-change event emitted for the query. */
  sequence: z.number().int().nonnegative(),
  result: RowlessResultSchema.optional(),
  /** For an ended query: whether its final state-change event was handed to the bus. */
  announced: z.boolean().optional(),
});

/** One journalled query: what was asked, its latest recorded state and, when rowless, its result. */
export interface JournalEntry {
  readonly input: StartQueryExecutionInput;
  readonly execution: QueryExecution;
  readonly sequence: number;
  readonly result?: StatementResult;
  /** For an ended query: whether its final state-change event was handed to the bus. */
  readonly announced?: boolean;
}

/**
 * The local Athena's record of its queries, one JSON file per query under `<home>/query-engine/queries/`,
 * written atomically when a query is submitted and when it ends. A restart reads it to keep what Athena
 * keeps across a client's crash: query ids and states, `ClientRequestToken`s, update counts, and the
 * queries still to run (those not ended), which it runs again. Rows of SELECT results are not kept.
 */
export class QueryJournal {
  private readonly dir: string;

  /** A journal rooted at `<home>/query-engine/queries`. */
  constructor(home: string) {
    this.dir = path.join(home, 'query-engine', 'queries');
  }

  /** Every journalled query, oldest submission first; throws naming the file if one is malformed. */
  async load(): Promise<JournalEntry[]> {
    const names = await fs.readdir(this.dir).catch((err: unknown) => {
      if (typeof err === 'object' && err !== null && Reflect.get(err, 'code') === 'ENOENT') return [];
      throw err;
    });
    const entries: JournalEntry[] = [];
    for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.'))) {
      const file = path.join(this.dir, name);
      const parsed = EntrySchema.safeParse(await readJsonFile(file));
      if (!parsed.success) throw new Error(`query journal file ${file} is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      entries.push(parsed.data);
    }
    return entries.sort((a, b) => a.execution.Status.SubmissionDateTime.getTime() - b.execution.Status.SubmissionDateTime.getTime());
  }

  /** Records a query's current state (with its result when it has no rows). */
  async save(entry: JournalEntry): Promise<void> {
    const { result, ...rest } = entry;
    const rowless = result !== undefined && result.rows.length === 0 ? { result: { columns: result.columns, rows: [], ...(result.updateCount === undefined ? {} : { updateCount: result.updateCount }) } } : {};
    await writeJsonAtomic(this.file(entry.execution.QueryExecutionId), { ...rest, ...rowless });
  }

  /** Forgets a query. */
  async remove(queryExecutionId: string): Promise<void> {
    await fs.rm(this.file(queryExecutionId), { force: true });
  }

  private file(id: string): string {
    if (!/^[A-Za-z0-9-]+$/.test(id)) throw new Error(`query id ${JSON.stringify(id)} cannot name a journal file`);
    return path.join(this.dir, `${id}.json`);
  }
}
