import { z } from 'zod';
import { SegmentedLog } from '../bus/segmented-log';

const PutLineSchema = z.object({ t: z.literal('put'), s: z.string(), n: z.number().int(), at: z.number(), d: z.array(z.string()) });
const FlushLineSchema = z.object({ t: z.literal('flush'), s: z.string(), k: z.string(), from: z.number().int(), to: z.number().int(), at: z.number() });
const DoneLineSchema = z.object({ t: z.literal('done'), s: z.string(), to: z.number().int() });
const LineSchema = z.discriminatedUnion('t', [PutLineSchema, FlushLineSchema, DoneLineSchema]);

/** A journaled batch of accepted records: base64 data as the client sent it, first sequence number, arrival time. */
export type JournaledPut = Omit<z.output<typeof PutLineSchema>, 't'>;
/** A journaled intent to write records `from`..`to` of a stream as object `k`. */
export type JournaledFlush = Omit<z.output<typeof FlushLineSchema>, 't'>;

/** What a stream's journal holds after a restart: intents not known done, and batches no intent covers. */
export interface RecoveredStream {
  readonly puts: JournaledPut[];
  readonly openFlushes: JournaledFlush[];
  /** The highest sequence number any line names, or -1. */
  readonly lastSeq: number;
}

/**
 * The streaming-ingest journal: one append-only {@link SegmentedLog} (fsync, group commit) shared by
 * every delivery stream, with three kinds of line — `put` (a batch of accepted records, written
 * before PutRecord(Batch) answers), `flush` (the intent to deliver a stream's records `from`..`to` as
 * one named object, written before the object) and `done` (the object is in the lake).
 *
 * Exactly once: an object's key is fixed by its `flush` line, and the lake write is an atomic rename,
 * so after a crash an open intent is finished by checking the key and writing it only when absent;
 * records after the last intent are buffered again. A segment is deleted once every stream's records
 * and intents in it are delivered (the owner reports progress with {@link IngestJournal.confirm}).
 */
export class IngestJournal {
  /** Per segment, per stream id: the highest sequence number a line in it names. */
  private readonly segments = new Map<number, Map<string, number>>();
  private readonly confirmed = new Map<string, number>();
  private readonly retired = new Set<string>();
  /** The active segment when each unresolved append was made: the segment it lands in is not older. */
  private readonly inFlight = new Map<number, number>();
  private nextAppend = 0;

  private constructor(private readonly log: SegmentedLog) {}

  /** Opens the journal in `dir` and reads back what it holds, by stream id. */
  static async open(dir: string): Promise<{ journal: IngestJournal; recovered: Map<string, RecoveredStream> }> {
    const recovered = new Map<string, { puts: JournaledPut[]; flushes: JournaledFlush[]; done: number; lastSeq: number }>();
    const segments = new Map<number, Map<string, number>>();
    await SegmentedLog.read(dir, (record, segment) => {
      const parsed = LineSchema.safeParse(record);
      if (!parsed.success) return;
      const line = parsed.data;
      const stream = recovered.get(line.s) ?? { puts: [], flushes: [], done: -1, lastSeq: -1 };
      recovered.set(line.s, stream);
      const seq = line.t === 'put' ? line.n + line.d.length - 1 : line.to;
      stream.lastSeq = Math.max(stream.lastSeq, seq);
      const bySegment = segments.get(segment) ?? new Map<string, number>();
      segments.set(segment, bySegment);
      bySegment.set(line.s, Math.max(bySegment.get(line.s) ?? -1, seq));
      if (line.t === 'put') stream.puts.push({ s: line.s, n: line.n, at: line.at, d: line.d });
      else if (line.t === 'flush') stream.flushes.push({ s: line.s, k: line.k, from: line.from, to: line.to, at: line.at });
      else stream.done = Math.max(stream.done, line.to);
    });
    const journal = new IngestJournal(await SegmentedLog.open(dir, { segmentBytes: 8 * 1024 * 1024 }));
    for (const [segment, bySegment] of segments) journal.segments.set(segment, bySegment);
    const result = new Map<string, RecoveredStream>();
    for (const [id, stream] of recovered) {
      const covered = stream.flushes.reduce((max, f) => Math.max(max, f.to), -1);
      journal.confirmed.set(id, stream.done);
      result.set(id, {
        puts: stream.puts.filter((p) => p.n + p.d.length - 1 > covered || stream.flushes.some((f) => f.to > stream.done && p.n <= f.to && p.n + p.d.length - 1 >= f.from)),
        openFlushes: stream.flushes.filter((f) => f.to > stream.done),
        lastSeq: stream.lastSeq,
      });
    }
    return { journal, recovered: result };
  }

  /** Journals a batch of accepted records; resolves once it is on disk. */
  async appendPut(put: JournaledPut): Promise<void> {
    await this.append({ t: 'put', ...put }, put.s, put.n + put.d.length - 1);
  }

  /** Journals the intent to deliver `from`..`to` as object `k`; resolves once it is on disk. */
  async appendFlush(flush: JournaledFlush): Promise<void> {
    await this.append({ t: 'flush', ...flush }, flush.s, flush.to);
  }

  /** Records that a stream's records up to `to` are in the lake, and deletes segments nothing needs any more. */
  async confirm(stream: string, to: number): Promise<void> {
    await this.append({ t: 'done', s: stream, to }, stream, to);
    this.confirmed.set(stream, Math.max(this.confirmed.get(stream) ?? -1, to));
    await this.compact();
  }

  /** A deleted stream's lines no longer hold any segment back (its records were delivered first). */
  async retire(stream: string): Promise<void> {
    this.retired.add(stream);
    await this.compact();
  }

  /** Closes the log after pending appends. */
  async close(): Promise<void> {
    await this.log.close();
  }

  private async append(line: object, stream: string, seq: number): Promise<void> {
    const ticket = this.nextAppend++;
    this.inFlight.set(ticket, this.log.activeSegment);
    try {
      const segment = await this.log.append([JSON.stringify(line)]);
      const bySegment = this.segments.get(segment) ?? new Map<string, number>();
      this.segments.set(segment, bySegment);
      bySegment.set(stream, Math.max(bySegment.get(stream) ?? -1, seq));
    } finally {
      this.inFlight.delete(ticket);
    }
  }

  private async compact(): Promise<void> {
    // A segment an unresolved append may land in is not yet known to hold it: keep it.
    const oldestUnknown = Math.min(this.log.activeSegment, ...this.inFlight.values());
    for (const [segment, bySegment] of this.segments) {
      if (segment >= oldestUnknown) continue;
      const needed = [...bySegment].some(([stream, seq]) => !this.retired.has(stream) && seq > (this.confirmed.get(stream) ?? -1));
      if (needed) continue;
      this.segments.delete(segment);
      await this.log.deleteSegment(segment);
    }
  }
}
