import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';

/** What the watcher remembers about a key it announced: the etag, and the stats it had then. */
export interface EmittedRecord {
  readonly etag: string;
  readonly size: number;
  readonly mtimeMs: number;
}

const LineSchema = z.union([
  z.object({ key: z.string(), etag: z.string(), size: z.number(), mtimeMs: z.number(), sequencer: z.string().regex(/^[0-9a-f]+$/) }),
  z.object({ key: z.string(), deleted: z.literal(true) }),
]);

/**
 * The durable record of the `Object Created` events the raw-zone watcher has emitted: a JSON-lines
 * file (one line per emission or deletion, last line per key wins), appended and fsynced after each
 * batch, compacted on load when mostly stale. A torn last line (crash mid-append) is skipped.
 * It also keeps the highest sequencer issued, so sequencers stay monotonic across restarts.
 */
export class EmittedLedger {
  private readonly records = new Map<string, EmittedRecord>();
  private lastSequencer = 0n;

  private constructor(private readonly file: string) {}

  /** Opens (and if needed creates or compacts) the ledger at `file`. */
  static async open(file: string): Promise<EmittedLedger> {
    const ledger = new EmittedLedger(file);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const text = await fs.readFile(file, 'utf8').catch((error: unknown) => (isMissing(error) ? '' : Promise.reject(error)));
    const lines = text.split('\n').filter((line) => line !== '');
    for (const line of lines) ledger.apply(line);
    if (ledger.records.size > 0 && lines.length > 2 * ledger.records.size + 1000) await ledger.compact();
    return ledger;
  }

  get(key: string): EmittedRecord | undefined {
    return this.records.get(key);
  }

  keys(): IterableIterator<string> {
    return this.records.keys();
  }

  /** The next S3-style sequencer: 16 lowercase hex digits, greater than every one issued before. */
  nextSequencer(now = Date.now()): string {
    const fromClock = BigInt(now) << 16n;
    this.lastSequencer = fromClock > this.lastSequencer ? fromClock : this.lastSequencer + 1n;
    return this.lastSequencer.toString(16).padStart(16, '0');
  }

  /** Durably records emissions (and deletions) in one append + fsync. */
  async append(entries: readonly ({ key: string; sequencer: string } & EmittedRecord | { key: string; deleted: true })[]): Promise<void> {
    if (entries.length === 0) return;
    const handle = await fs.open(this.file, 'a');
    try {
      await handle.writeFile(entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
      await handle.sync();
    } finally {
      await handle.close();
    }
    for (const entry of entries) {
      if ('deleted' in entry) this.records.delete(entry.key);
      else this.records.set(entry.key, { etag: entry.etag, size: entry.size, mtimeMs: entry.mtimeMs });
    }
  }

  private apply(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return;
    }
    const parsed = LineSchema.safeParse(value);
    if (!parsed.success) return;
    const entry = parsed.data;
    if ('deleted' in entry) {
      this.records.delete(entry.key);
      return;
    }
    this.records.set(entry.key, { etag: entry.etag, size: entry.size, mtimeMs: entry.mtimeMs });
    const sequencer = BigInt(`0x${entry.sequencer}`);
    if (sequencer > this.lastSequencer) this.lastSequencer = sequencer;
  }

  private async compact(): Promise<void> {
    const tmp = `${this.file}.${process.pid}.tmp`;
    const last = this.lastSequencer.toString(16).padStart(16, '0');
    const body = [...this.records].map(([key, r]) => `${JSON.stringify({ key, ...r, sequencer: last })}\n`).join('');
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, this.file);
  }
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
