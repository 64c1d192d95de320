import * as path from 'node:path';
import type { z } from 'zod';
import type { ObjectStorePort } from '../../../handlers/ports/object-store';
import { defineDeliveryStream, deliveryStreamArn, describeDeliveryStream, type DeliveryStreamDefinition } from './delivery-stream-definition';
import { MAX_BATCH_BYTES, type CreateDeliveryStreamInputSchema, type ListDeliveryStreamsInputSchema } from './firehose-api-schemas';
import { FirehoseError, invalidArgument, slowDown, streamInUse, streamNotFound } from './firehose-errors';
import { IngestJournal } from './ingest-journal';
import { StreamBuffer } from './stream-buffer';
import { loadStreams, saveStreams } from './stream-registry';

/** Settings of a {@link LocalFirehose}. */
export interface LocalFirehoseOptions {
  /** Where the registry and journal live (`<home>/state/firehose`). */
  readonly dir: string;
  /** The lake the streams deliver to. */
  readonly objects: ObjectStorePort;
  /** Undelivered bytes a stream may hold before records are refused with ServiceUnavailableException. Default 256 MiB. */
  readonly maxBacklogBytes?: number;
  /** Called for delivery failures the service survives (it retries them). */
  readonly onError?: (error: Error) => void;
}

/** One record's outcome in PutRecordBatch's `RequestResponses`. */
export type RecordResult = { readonly RecordId: string } | { readonly ErrorCode: string; readonly ErrorMessage: string };

const NOT_LOCAL = ['RedshiftDestinationConfiguration', 'ElasticsearchDestinationConfiguration', 'AmazonopensearchserviceDestinationConfiguration', 'SplunkDestinationConfiguration', 'HttpEndpointDestinationConfiguration', 'AmazonOpenSearchServerlessDestinationConfiguration', 'SnowflakeDestinationConfiguration', 'IcebergDestinationConfiguration'] as const;

function recordId(stream: DeliveryStreamDefinition, seq: number): string {
  return `${stream.id.replace(/-/g, '')}${seq.toString(16).padStart(24, '0')}`;
}

/**
 * Kinesis Data Firehose on the local disk: DirectPut delivery streams into the folder lake.
 *
 * Records are durable before a put answers (the journal's group-committed fsync), are buffered per
 * stream by size and interval, and land as objects named as Firehose names them, through the object
 * store (an atomic rename into the zone), so the raw-zone watcher announces them like any other file.
 * On open, what the journal holds but the lake does not is delivered, exactly once.
 */
export class LocalFirehose {
  private readonly buffers = new Map<string, StreamBuffer>();
  private readonly nextSeq = new Map<string, number>();
  private admin: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly options: LocalFirehoseOptions,
    private readonly journal: IngestJournal,
    private readonly registryFile: string,
  ) {}

  /** Opens the registry and journal and finishes every delivery a crash cut short. */
  static async open(options: LocalFirehoseOptions): Promise<LocalFirehose> {
    const registryFile = path.join(options.dir, 'streams.json');
    const streams = await loadStreams(registryFile);
    const { journal, recovered } = await IngestJournal.open(path.join(options.dir, 'journal'));
    const service = new LocalFirehose(options, journal, registryFile);
    for (const stream of streams) {
      const buffer = service.bufferOf(stream);
      const state = recovered.get(stream.id);
      service.nextSeq.set(stream.id, (state?.lastSeq ?? -1) + 1);
      if (state === undefined) continue;
      const records = (from: number, to: number): Buffer[] =>
        state.puts.flatMap((put) => put.d.flatMap((b64, i) => (put.n + i >= from && put.n + i <= to ? [Buffer.from(b64, 'base64')] : [])));
      let covered = -1;
      for (const flush of state.openFlushes) {
        await buffer.finishOpenFlush(flush, records(flush.from, flush.to));
        covered = Math.max(covered, flush.to);
      }
      for (const put of state.puts) {
        const data = put.d.flatMap((b64, i) => (put.n + i > covered ? [Buffer.from(b64, 'base64')] : []));
        const first = Math.max(put.n, covered + 1);
        if (data.length > 0) buffer.add({ first, at: put.at, records: data, bytes: data.reduce((n, r) => n + r.length, 0) });
      }
    }
    return service;
  }

  /** CreateDeliveryStream: a DirectPut stream into a lake bucket. */
  createDeliveryStream(input: z.output<typeof CreateDeliveryStreamInputSchema>, now = Date.now()): Promise<{ DeliveryStreamARN: string }> {
    return this.serially(() => this.create(input, now));
  }

  private async create(input: z.output<typeof CreateDeliveryStreamInputSchema>, now: number): Promise<{ DeliveryStreamARN: string }> {
    if (this.buffers.has(input.DeliveryStreamName)) throw streamInUse(input.DeliveryStreamName);
    const type = input.DeliveryStreamType ?? 'DirectPut';
    if (type !== 'DirectPut') throw invalidArgument(`DeliveryStreamType ${type} is not supported by the local Firehose; use DirectPut`);
    const other = NOT_LOCAL.find((member) => input[member] !== undefined);
    if (other !== undefined) throw invalidArgument(`${other} is not supported by the local Firehose; use ExtendedS3DestinationConfiguration`);
    const config = input.ExtendedS3DestinationConfiguration ?? input.S3DestinationConfiguration;
    if (config === undefined) throw invalidArgument('A destination configuration is required: ExtendedS3DestinationConfiguration (or S3DestinationConfiguration)');
    if (input.ExtendedS3DestinationConfiguration !== undefined && input.S3DestinationConfiguration !== undefined) throw invalidArgument('Only one destination configuration may be given: ExtendedS3DestinationConfiguration or S3DestinationConfiguration');
    const stream = defineDeliveryStream(input.DeliveryStreamName, config, input.Tags ?? [], now);
    await saveStreams(this.registryFile, [...this.definitions(), stream]);
    this.bufferOf(stream);
    this.nextSeq.set(stream.id, 0);
    return { DeliveryStreamARN: deliveryStreamArn(stream.name) };
  }

  /**
   * Creates a stream with a definition made by the caller (the pipeline's own per-dataset streams,
   * whose interval may be shorter than the API allows), unless one of that name exists.
   */
  ensureDeliveryStream(make: () => DeliveryStreamDefinition): Promise<void> {
    return this.serially(async () => {
      const stream = make();
      if (this.buffers.has(stream.name)) return;
      await saveStreams(this.registryFile, [...this.definitions(), stream]);
      this.bufferOf(stream);
      this.nextSeq.set(stream.id, 0);
    });
  }

  /** DescribeDeliveryStream. */
  describeDeliveryStream(name: string): { DeliveryStreamDescription: Record<string, unknown> } {
    return { DeliveryStreamDescription: describeDeliveryStream(this.streamOf(name)) };
  }

  /** ListDeliveryStreams: names in order, after `ExclusiveStartDeliveryStreamName`, at most `Limit` (default 10). */
  listDeliveryStreams(input: z.output<typeof ListDeliveryStreamsInputSchema>): { DeliveryStreamNames: string[]; HasMoreDeliveryStreams: boolean } {
    if (input.DeliveryStreamType !== undefined && input.DeliveryStreamType !== 'DirectPut') return { DeliveryStreamNames: [], HasMoreDeliveryStreams: false };
    const start = input.ExclusiveStartDeliveryStreamName;
    const names = [...this.buffers.keys()].sort().filter((name) => start === undefined || name > start);
    const limit = input.Limit ?? 10;
    return { DeliveryStreamNames: names.slice(0, limit), HasMoreDeliveryStreams: names.length > limit };
  }

  /** DeleteDeliveryStream: delivers what the stream has accepted, then removes it. */
  deleteDeliveryStream(name: string): Promise<Record<string, never>> {
    return this.serially(() => this.delete(name));
  }

  private async delete(name: string): Promise<Record<string, never>> {
    const buffer = this.buffers.get(name);
    if (buffer === undefined) throw streamNotFound(name);
    await buffer.close(true);
    this.buffers.delete(name);
    await saveStreams(this.registryFile, this.definitions());
    await this.journal.retire(buffer.stream.id);
    return {};
  }

  /**
   * PutRecord(Batch): records (base64, as the wire carries them) are journaled and synced, then
   * buffered; each gets a RecordId, or, once the stream's backlog is full, ServiceUnavailableException
   * (the caller resends those). More than 4 MiB of data in one request is refused whole.
   */
  async putRecords(name: string, data: readonly string[], now = Date.now()): Promise<RecordResult[]> {
    const buffer = this.buffers.get(name);
    if (buffer === undefined) throw streamNotFound(name);
    const records = data.map((b64) => Buffer.from(b64, 'base64'));
    const total = records.reduce((n, r) => n + r.length, 0);
    if (total > MAX_BATCH_BYTES) throw invalidArgument('Records size exceeds 4 MB limit');
    const limit = this.options.maxBacklogBytes ?? 256 * 1024 * 1024;
    let room = limit - buffer.backlogBytes;
    let accepted = 0;
    let bytes = 0;
    while (accepted < records.length) {
      const size = records[accepted]?.length ?? 0;
      if (size > room) break;
      room -= size;
      bytes += size;
      accepted += 1;
    }
    const stream = buffer.stream;
    const first = this.nextSeq.get(stream.id) ?? 0;
    this.nextSeq.set(stream.id, first + accepted);
    if (accepted > 0) {
      try {
        await this.journal.appendPut({ s: stream.id, n: first, at: now, d: data.slice(0, accepted) });
      } catch (error) {
        throw new FirehoseError('ServiceUnavailableException', `Records could not be made durable (${error instanceof Error ? error.message : String(error)}); resend them`, { retryable: true, cause: error });
      }
      // A stream deleted meanwhile has delivered what it had and is gone: these records were not accepted.
      if (this.buffers.get(name) !== buffer) throw streamNotFound(name);
      buffer.add({ first, at: now, records: records.slice(0, accepted), bytes });
    }
    const refused = slowDown();
    return records.map((_, i) => (i < accepted ? { RecordId: recordId(stream, first + i) } : { ErrorCode: refused.code, ErrorMessage: refused.message }));
  }

  /** Delivers every buffered record now (tests, and `sample traffic --stream` at its end). */
  async drain(): Promise<void> {
    await Promise.all([...this.buffers.values()].map((buffer) => buffer.drain()));
  }

  /** Delivers what is buffered, then closes the journal. */
  async close(): Promise<void> {
    await Promise.all([...this.buffers.values()].map((buffer) => buffer.close(true)));
    await this.journal.close();
  }

  /** Runs registry changes one at a time, so concurrent creates and deletes see each other. */
  private serially<T>(step: () => Promise<T>): Promise<T> {
    const run = this.admin.then(step, step);
    this.admin = run.catch(() => undefined);
    return run;
  }

  private definitions():  DeliveryStreamDefinition[] {
    return [...this.buffers.values()].map((buffer) => buffer.stream);
  }

  private streamOf(name: string): DeliveryStreamDefinition {
    const buffer = this.buffers.get(name);
    if (buffer === undefined) throw streamNotFound(name);
    return buffer.stream;
  }

  private bufferOf(stream: DeliveryStreamDefinition): StreamBuffer {
    const buffer = new StreamBuffer(stream, this.journal, this.options.objects, this.options.onError ?? ((error) => process.stderr.write(`tributary: firehose ${stream.name}: ${error.message}\n`)));
    this.buffers.set(stream.name, buffer);
    return buffer;
  }
}
