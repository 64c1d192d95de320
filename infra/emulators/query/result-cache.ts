import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { processAlive } from '../../local/process-alive';
import { readJsonFile, writeJsonAtomic } from '../catalog/atomic-json';
import type { StatementResult } from './statement-context';

/** Finished results kept in memory by default: 64 MiB, then the oldest spill to disk. */
export const DEFAULT_RESULT_BYTES = 64 * 1024 * 1024;

const SpilledSchema = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.array(z.string().nullable())),
  updateCount: z.number().optional(),
});

/**
 * The rows of finished queries, kept for `getQueryResults` as Athena keeps them in its results
 * location: in memory up to a byte bound, past it the oldest results are written to
 * `<home>/query-engine/results/<pid>-<uuid>/<query id>.json` and read back when asked for. So the
 * engine's memory does not grow with the number or size of the queries it ran. Each engine has a
 * folder of its own (a CLI may read beside `up`); folders of dead processes are removed by `sweep`.
 */
export class ResultCache {
  private readonly memory = new Map<string, { result: StatementResult; bytes: number }>();
  private readonly spilled = new Set<string>();
  private held = 0;
  private readonly dir: string;

  /** A cache of at most `maxBytes` (estimated) in memory, spilling under `<home>/query-engine/results/`. */
  constructor(home: string, private readonly maxBytes: number = DEFAULT_RESULT_BYTES) {
    if (!Number.isFinite(maxBytes) || maxBytes < 0) throw new Error(`the result cache bound must be a non-negative number of bytes, got ${maxBytes}`);
    this.dir = path.join(resultsRoot(home), `${process.pid}-${randomUUID()}`);
  }

  /** Estimated bytes of the results held in memory now. */
  get bytesInMemory(): number {
    return this.held;
  }

  /** Keeps a query's result, then spills the oldest others while memory is over the bound. */
  async put(queryId: string, result: StatementResult): Promise<void> {
    await this.forget(queryId);
    const bytes = estimateBytes(result);
    this.memory.set(queryId, { result, bytes });
    this.held += bytes;
    for (const [id, kept] of this.memory) {
      if (this.held <= this.maxBytes) break;
      if (id === queryId) continue;
      await fs.mkdir(this.dir, { recursive: true });
      await writeJsonAtomic(this.file(id), { columns: kept.result.columns, rows: kept.result.rows.map((r) => r.map((v) => v ?? null)), ...(kept.result.updateCount === undefined ? {} : { updateCount: kept.result.updateCount }) });
      this.memory.delete(id);
      this.held -= kept.bytes;
      this.spilled.add(id);
    }
  }

  /** A kept result (read back from disk if it was spilled), or undefined when none is kept. */
  async get(queryId: string): Promise<StatementResult | undefined> {
    const kept = this.memory.get(queryId);
    if (kept) return kept.result;
    if (!this.spilled.has(queryId)) return undefined;
    const parsed = SpilledSchema.safeParse(await readJsonFile(this.file(queryId)));
    if (!parsed.success) throw new Error(`spilled result of query ${queryId} is malformed: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
    return { columns: parsed.data.columns, rows: parsed.data.rows.map((r) => r.map((v) => v ?? undefined)), ...(parsed.data.updateCount === undefined ? {} : { updateCount: parsed.data.updateCount }) };
  }

  /** Drops a query's result, in memory and on disk. */
  async forget(queryId: string): Promise<void> {
    const kept = this.memory.get(queryId);
    if (kept) {
      this.memory.delete(queryId);
      this.held -= kept.bytes;
    }
    if (this.spilled.delete(queryId)) await fs.rm(this.file(queryId), { force: true });
  }

  /** Drops every result this cache holds, and its folder. */
  async clear(): Promise<void> {
    this.memory.clear();
    this.spilled.clear();
    this.held = 0;
    await fs.rm(this.dir, { recursive: true, force: true });
  }

  private file(queryId: string): string {
    if (!/^[A-Za-z0-9-]+$/.test(queryId)) throw new Error(`query id ${JSON.stringify(queryId)} cannot name a result file`);
    return path.join(this.dir, `${queryId}.json`);
  }
}

/** Removes the spill folders of engines whose process is gone (a kill -9 leaves them behind). */
export async function sweepResults(home: string): Promise<void> {
  const root = resultsRoot(home);
  const names = await fs.readdir(root).catch(() => []);
  for (const name of names) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && !processAlive(pid)) await fs.rm(path.join(root, name), { recursive: true, force: true });
  }
}

function resultsRoot(home: string): string {
  return path.join(home, 'query-engine', 'results');
}

/** A result's size as V8 holds it, roughly: two bytes a character plus per-row and per-cell overhead. */
function estimateBytes(result: StatementResult): number {
  let bytes = 64;
  for (const row of result.rows) {
    bytes += 32;
    for (const cell of row) bytes += 16 + (cell === undefined ? 0 : cell.length * 2);
  }
  return bytes;
}
