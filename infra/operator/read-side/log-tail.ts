import { open, readdir } from 'node:fs/promises';
import * as path from 'node:path';

const SEGMENT = /^(\d{12})\.log$/;

/**
 * Reads a segmented log directory (`<12 digits>.log` files of JSON lines, as the bus writes them)
 * incrementally: each `read` hands over only the complete records appended since the last one, so a
 * reader can follow a log another part of the process (or another process) is writing. A torn last
 * line waits for its newline; a deleted segment is forgotten; unparseable lines are skipped.
 */
export class LogTail {
  private readonly offsets = new Map<number, number>();

  constructor(private readonly dir: string) {}

  /** Calls `onRecord` for each record appended since the previous call, in log order. */
  async read(onRecord: (record: unknown) => void): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const ids = names.flatMap((n) => {
      const m = SEGMENT.exec(n);
      return m ? [Number(m[1])] : [];
    }).sort((a, b) => a - b);
    for (const id of [...this.offsets.keys()]) if (!ids.includes(id)) this.offsets.delete(id);
    for (const id of ids) {
      const offset = this.offsets.get(id) ?? 0;
      const handle = await open(path.join(this.dir, `${String(id).padStart(12, '0')}.log`), 'r').catch(() => undefined);
      if (!handle) continue;
      try {
        const { size } = await handle.stat();
        if (size <= offset) continue;
        const buffer = Buffer.alloc(size - offset);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        const text = buffer.subarray(0, bytesRead).toString('utf8');
        const end = text.lastIndexOf('\n');
        if (end < 0) continue;
        this.offsets.set(id, offset + Buffer.byteLength(text.slice(0, end + 1)));
        for (const line of text.slice(0, end).split('\n')) {
          if (line.length === 0) continue;
          let record: unknown;
          try {
            record = JSON.parse(line);
          } catch {
            continue;
          }
          onRecord(record);
        }
      } finally {
        await handle.close();
      }
    }
  }
}
