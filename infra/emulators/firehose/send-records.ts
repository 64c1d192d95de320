import { PutRecordBatchCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import { MAX_BATCH_BYTES, MAX_BATCH_RECORDS } from './firehose-api-schemas';

/** What {@link sendRecords} did: records acknowledged, and records sent again after a per-record failure or a failed request. */
export interface SendSummary {
  readonly acknowledged: number;
  readonly resent: number;
}

/** How {@link sendRecords} sends. */
export interface SendOptions {
  /** Parallel senders (default 4). */
  readonly concurrency?: number;
  /** Tries of one request before giving up (default 20). */
  readonly attempts?: number;
  /** Called with records a response acknowledged. */
  readonly onAcknowledged?: (records: readonly Uint8Array[]) => void;
  /** Called with the records of a request that got no answer (they may or may not have been accepted); they are sent again. */
  readonly onUnanswered?: (records: readonly Uint8Array[], error: unknown) => void;
}

/** Splits records into PutRecordBatch requests: at most 500 records and 4 MiB of data each. */
export function batchesOf(records: readonly Uint8Array[]): Uint8Array[][] {
  const batches: Uint8Array[][] = [];
  let current: Uint8Array[] = [];
  let bytes = 0;
  for (const record of records) {
    if (current.length === MAX_BATCH_RECORDS || (current.length > 0 && bytes + record.length > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += record.length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Sends records to a delivery stream with PutRecordBatch from `concurrency` parallel senders, as a
 * Firehose producer should: records a response marks failed (ErrorCode) are sent again, and a
 * request that fails whole is retried (up to `attempts` times, with backoff), so every record is
 * acknowledged once or the returned promise rejects. Order across senders is not kept.
 */
export async function sendRecords(client: FirehoseClient, stream: string, records: readonly Uint8Array[], options: SendOptions = {}): Promise<SendSummary> {
  const queue = batchesOf(records);
  let acknowledged = 0;
  let resent = 0;
  const attempts = options.attempts ?? 20;
  const sender = async (): Promise<void> => {
    for (let batch = queue.shift(); batch !== undefined; batch = queue.shift()) {
      let pending = batch;
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        if (attempt > 1) {
          resent += pending.length;
          await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 2000)));
        }
        try {
          const result = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: stream, Records: pending.map((Data) => ({ Data })) }));
          const responses = result.RequestResponses ?? [];
          const failed = pending.filter((_, i) => responses[i]?.ErrorCode !== undefined || responses[i] === undefined);
          acknowledged += pending.length - failed.length;
          options.onAcknowledged?.(pending.filter((record) => !failed.includes(record)));
          pending = failed;
        } catch (error) {
          options.onUnanswered?.(pending, error);
          if (attempt >= attempts) throw error;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, sender));
  return { acknowledged, resent };
}
