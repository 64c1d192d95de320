import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { hasErrnoCode } from './errno';

/** How a {@link SegmentedLog} is tuned. */
export interface SegmentedLogOptions {
  /** A segment is closed and a new one started once it holds at least this many bytes. */
  readonly segmentBytes?: number;
  /** fsync after each group write (default true). Off only for throwaway data. */
  readonly durable?: boolean;
}

interface Waiter {
  readonly resolve: (segment: number) => void;
  readonly reject: (error: unknown) => void;
}

const SEGMENT_SUFFIX = '.log';

function segmentFile(dir: string, id: number): string {
  return path.join(dir, `${String(id).padStart(12, '0')}${SEGMENT_SUFFIX}`);
}

/**
 * An append-only log of JSON records split into numbered segment files, with group commit.
 *
 * On-disk format: a directory of files `<12-digit segment number>.log`; each holds UTF-8 JSON objects,
 * one per line (`\n`-terminated), in append order; segment numbers increase. A record is durable once
 * the `append` promise resolves (write + fdatasync). Concurrent appends are batched: while one batch is
 * being written and synced, new appends accumulate and go out in the next single write + sync, so the
 * cost of an fsync is shared by everything that arrived meanwhile. A kill -9 can tear only the batch
 * being written, which no caller was told is durable; on open the active segment is cut back to its
 * last complete, parseable line. Whole segments can be deleted once nothing in them is needed
 * (compaction is the owner's decision: the log does not interpret records).
 */
export class SegmentedLog {
  private pending: string[] = [];
  private waiters: Waiter[] = [];
  private flushing = false;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private handle: FileHandle,
    private active: number,
    private size: number,
    private readonly segmentBytes: number,
    private readonly durable: boolean,
  ) {}

  /** Opens (creating if needed) the log in `dir`, repairing a torn tail left by a crash. */
  static async open(dir: string, options: SegmentedLogOptions = {}): Promise<SegmentedLog> {
    await fs.mkdir(dir, { recursive: true });
    const ids = await SegmentedLog.segmentIds(dir);
    const last = ids[ids.length - 1] ?? 1;
    const file = segmentFile(dir, last);
    const size = await repairTail(file);
    const handle = await fs.open(file, 'a');
    return new SegmentedLog(dir, handle, last, size, options.segmentBytes ?? 16 * 1024 * 1024, options.durable ?? true);
  }

  /** The segment numbers present in `dir`, ascending. */
  static async segmentIds(dir: string): Promise<number[]> {
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch (error) {
      if (hasErrnoCode(error, 'ENOENT')) return [];
      throw error;
    }
    return names
      .filter((name) => /^\d{12}\.log$/.test(name))
      .map((name) => Number(name.slice(0, 12)))
      .sort((a, b) => a - b);
  }

  /** Calls `onRecord` for every complete record of every segment, in append order. */
  static async read(dir: string, onRecord: (record: unknown, segment: number) => void): Promise<void> {
    for (const id of await SegmentedLog.segmentIds(dir)) {
      const text = await fs.readFile(segmentFile(dir, id), 'utf8');
      const end = text.lastIndexOf('\n');
      if (end < 0) continue;
      for (const line of text.slice(0, end).split('\n')) {
        if (line.length === 0) continue;
        let record: unknown;
        try {
          record = JSON.parse(line);
        } catch {
          continue;
        }
        onRecord(record, id);
      }
    }
  }

  /**
   * Replaces every segment of a closed log by one new segment holding `records` (compaction): the new
   * segment is written to a temp file, synced and renamed in before the old ones are deleted, so a
   * crash leaves the old records, or old and new (readers must tolerate that duplication), never less.
   */
  static async replaceAll(dir: string, records: readonly string[]): Promise<void> {
    await fs.mkdir(dir, { recursive: true });
    const ids = await SegmentedLog.segmentIds(dir);
    const next = (ids[ids.length - 1] ?? 0) + 1;
    const tmp = `${segmentFile(dir, next)}.tmp`;
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(records.map((record) => `${record}\n`).join(''));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, segmentFile(dir, next));
    const dirHandle = await fs.open(dir, 'r');
    await dirHandle.sync().finally(() => dirHandle.close());
    for (const id of ids) await fs.rm(segmentFile(dir, id), { force: true });
  }

  /** The number of the segment appends currently go to; it is never deleted. */
  get activeSegment(): number {
    return this.active;
  }

  /** The directory holding the segments. */
  get directory(): string {
    return this.dir;
  }

  /**
   * Appends records (each a JSON object's text, without newline); resolves with the segment they
   * landed in once they are on disk. All records of one call land in the same segment, in order.
   */
  append(records: readonly string[]): Promise<number> {
    if (this.closed) return Promise.reject(new Error(`log ${this.dir} is closed`));
    return new Promise<number>((resolve, reject) => {
      for (const record of records) this.pending.push(`${record}\n`);
      this.waiters.push({ resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /** Deletes a whole segment that is no longer needed; the active segment is kept. */
  async deleteSegment(id: number): Promise<void> {
    if (id === this.active) return;
    await fs.rm(segmentFile(this.dir, id), { force: true });
  }

  /** Waits for pending appends, then closes the active segment. */
  async close(): Promise<void> {
    while (this.flushing) await new Promise((resolve) => setImmediate(resolve));
    this.closed = true;
    await this.handle.close();
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.pending.length > 0) {
      const text = this.pending.join('');
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      const segment = this.active;
      try {
        const buffer = Buffer.from(text, 'utf8');
        for (let offset = 0; offset < buffer.length; ) offset += (await this.handle.write(buffer, offset)).bytesWritten;
        if (this.durable) await this.handle.datasync();
        this.size += buffer.length;
        if (this.size >= this.segmentBytes) await this.roll();
        for (const waiter of waiters) waiter.resolve(segment);
      } catch (error) {
        await this.handle.truncate(this.size).catch(() => undefined);
        for (const waiter of waiters) waiter.reject(error);
      }
    }
    this.flushing = false;
  }

  private async roll(): Promise<void> {
    await this.handle.close();
    this.active += 1;
    this.handle = await fs.open(segmentFile(this.dir, this.active), 'a');
    this.size = 0;
    if (this.durable) {
      const dirHandle = await fs.open(this.dir, 'r');
      await dirHandle.sync().finally(() => dirHandle.close());
    }
  }
}

/**
 * Cuts a segment back to the end of its last complete, parseable line (dropping a torn tail); returns
 * the resulting size. Unparseable lines before it are kept (readers skip them), so repair never
 * removes a record that was complete.
 */
async function repairTail(file: string): Promise<number> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if (hasErrnoCode(error, 'ENOENT')) return 0;
    throw error;
  }
  let good = 0;
  let offset = 0;
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    if (end < 0) break;
    const line = text.slice(start, end);
    offset += Buffer.byteLength(line, 'utf8') + 1;
    start = end + 1;
    try {
      JSON.parse(line);
      good = offset;
    } catch {
      // A complete but unparseable line: kept unless nothing valid follows it.
    }
  }
  if (good < Buffer.byteLength(text, 'utf8')) await fs.truncate(file, good);
  return good;
}
