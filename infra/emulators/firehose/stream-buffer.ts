import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { ObjectStorePort } from '../../../handlers/ports/object-store';
import { deliveredObjectKey, type DeliveryStreamDefinition } from './delivery-stream-definition';
import type { IngestJournal, JournaledFlush } from './ingest-journal';

const gzipAsync = promisify(gzip);

/** A batch of accepted, journaled records waiting in a stream's buffer. */
export interface BufferedBatch {
  readonly first: number;
  readonly at: number;
  readonly records: readonly Buffer[];
  readonly bytes: number;
}

/** The bytes of an object holding `records`, each followed by the stream's delimiter, gzipped if configured. */
export async function objectBody(stream: DeliveryStreamDefinition, records: readonly Buffer[]): Promise<Buffer> {
  const delimiter = stream.delimiter === undefined ? undefined : Buffer.from(stream.delimiter, 'utf8');
  const parts = delimiter === undefined ? records : records.flatMap((r) => [r, delimiter]);
  const raw = Buffer.concat(parts);
  return stream.compression === 'GZIP' ? gzipAsync(raw) : raw;
}

/**
 * One delivery stream's buffer: journaled records wait here until the buffer holds `sizeBytes` or its
 * oldest record is `intervalMs` old, then go to the lake as one object. Deliveries run one at a time,
 * in sequence order; each is journaled (key fixed) before it is written and confirmed after, and a
 * failed write is retried under the same key with backoff, so a record lands in exactly one object.
 */
export class StreamBuffer {
  private batches: BufferedBatch[] = [];
  private bufferedBytes = 0;
  private undelivered = 0;
  private timer: NodeJS.Timeout | undefined;
  private delivering: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    readonly stream: DeliveryStreamDefinition,
    private readonly journal: IngestJournal,
    private readonly objects: ObjectStorePort,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Bytes accepted and not yet in the lake (the backlog PutRecord(Batch) is throttled on). */
  get backlogBytes(): number {
    return this.undelivered;
  }

  /** Adds journaled records; delivers at once when the buffer reaches its size, else arms the interval. */
  add(batch: BufferedBatch): void {
    this.batches.push(batch);
    this.bufferedBytes += batch.bytes;
    this.undelivered += batch.bytes;
    if (this.bufferedBytes >= this.stream.sizeBytes) this.deliverNow();
    else if (this.timer === undefined && !this.closed) this.timer = setTimeout(() => this.deliverNow(), this.stream.intervalMs);
  }

  /** Delivers an intent left open by a crash: writes its object unless the key already exists. */
  async finishOpenFlush(flush: JournaledFlush, records: readonly Buffer[]): Promise<void> {
    const bytes = records.reduce((n, r) => n + r.length, 0);
    this.undelivered += bytes;
    this.delivering = this.delivering.then(async () => {
      if ((await this.objects.headObject(this.stream.bucket, flush.k)) === undefined) await this.write(flush.k, records);
      await this.journal.confirm(this.stream.id, flush.to);
      this.undelivered -= bytes;
    });
    await this.delivering;
  }

  /** Delivers whatever is buffered now and resolves when every delivery so far is in the lake. */
  async drain(): Promise<void> {
    this.deliverNow();
    await this.delivering;
  }

  /** Stops the interval timer; with `deliver`, first delivers what is buffered. */
  async close(deliver: boolean): Promise<void> {
    if (deliver) await this.drain();
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.delivering.catch(() => undefined);
  }

  private deliverNow(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const batches = this.batches;
    const first = batches[0];
    const last = batches[batches.length - 1];
    if (first === undefined || last === undefined) return;
    this.batches = [];
    this.bufferedBytes = 0;
    const flush: JournaledFlush = { s: this.stream.id, k: deliveredObjectKey(this.stream, first.at, randomUUID()), from: first.first, to: last.first + last.records.length - 1, at: first.at };
    const bytes = batches.reduce((n, b) => n + b.bytes, 0);
    this.delivering = this.delivering.then(async () => {
      await this.retrying(() => this.journal.appendFlush(flush));
      await this.retrying(() => this.write(flush.k, batches.flatMap((b) => b.records)));
      await this.retrying(() => this.journal.confirm(this.stream.id, flush.to));
      this.undelivered -= bytes;
    });
  }

  private async write(key: string, records: readonly Buffer[]): Promise<void> {
    await this.objects.putObject(this.stream.bucket, key, await objectBody(this.stream, records));
  }

  /** Runs `step` until it succeeds (backoff 100 ms doubling to 10 s), reporting each failure; gives up only when closed. */
  private async retrying(step: () => Promise<void>): Promise<void> {
    for (let delay = 100; ; delay = Math.min(delay * 2, 10_000)) {
      try {
        return await step();
      } catch (error) {
        this.onError(error instanceof Error ? error : new Error(String(error)));
        if (this.closed) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
