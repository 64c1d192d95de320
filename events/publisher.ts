import { backoffDelayMs } from './publisher/backoff';
import { batchEntries } from './publisher/batch-entries';
import { toDomainEntry, type DomainEventInput } from './publisher/domain-entry';
import { putEventsEntrySize } from './publisher/entry-size';
import { PublisherError, PutEventsRequestError } from './publisher/errors';
import type { EventBusTransport, PutEventsEntry, PutEventsResultEntry } from './put-events';

export type { DomainEventInput } from './publisher/domain-entry';

/** Entry error codes that EventBridge documents as transient; only these entries are resent. */
export const RetryableEntryErrorCode = { InternalFailure: 'InternalFailure', ThrottlingException: 'ThrottlingException' } as const;

/** Error codes the publisher itself reports (the others come from the bus). */
export const PublisherErrorCode = {
  /** The entry alone is larger than the request-size limit, so it was never sent. */
  EntryTooLarge: 'EntryTooLarge',
  /** The bus answered without a usable result for the entry; reported with EventBridge's transient code so it is resent. */
  MissingResult: 'InternalFailure',
} as const;

/** Whole-request errors that retrying cannot fix; any other rejection is treated as transient. */
const NON_RETRYABLE_REQUEST_ERRORS: ReadonlySet<string> = new Set([
  'ValidationException', 'AccessDeniedException', 'ResourceNotFoundException', 'InvalidArgument',
  'MalformedDetail', 'UnrecognizedClientException', 'InvalidSignatureException', 'IncompleteSignature',
]);

/** Settings of an EventPublisher; the limits default to EventBridge's. */
export interface EventPublisherOptions {
  readonly transport: EventBusTransport;
  /** Bus for entries that name none (every domain event goes here). */
  readonly eventBusName: string;
  /** Request-size limit as EventBridge counts it; 256 KiB by default (some accounts have 1 MiB). */
  readonly maxRequestBytes?: number;
  /** Total tries per entry, the first included. Default 5. */
  readonly maxAttempts?: number;
  /** First backoff step; doubles per retry. Default 100 ms. */
  readonly baseDelayMs?: number;
  /** Cap on one backoff step. Default 5 s. */
  readonly maxDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** An entry that was not accepted: its input position and the last error it got. */
export interface FailedEntry {
  readonly index: number;
  readonly errorCode: string;
  readonly errorMessage: string;
}

/** What a publish returns: one id per input entry (undefined where it failed) and the failures. */
export interface PublishResult {
  readonly eventIds: (string | undefined)[];
  readonly failed: FailedEntry[];
}

interface EntryError {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}

/**
 * Publishes events through any EventBusTransport with EventBridge's PutEvents discipline: domain
 * events are validated against their contracts before anything is sent; entries go in requests of at
 * most 10 and at most `maxRequestBytes`; only entries that failed with a retryable code (or whose whole
 * request failed transiently) are resent, with exponential backoff and jitter, up to `maxAttempts`.
 * Entries that still fail are reported, never thrown, so a caller can decide per entry.
 */
export class EventPublisher {
  private readonly transport: EventBusTransport;
  private readonly eventBusName: string;
  private readonly maxRequestBytes: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(options: EventPublisherOptions) {
    this.transport = options.transport;
    this.eventBusName = options.eventBusName;
    this.maxRequestBytes = options.maxRequestBytes ?? 256 * 1024;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.baseDelayMs = options.baseDelayMs ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 5000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  /**
   * Validates every domain event, then publishes them all to the publisher's bus. Throws
   * InvalidDomainEventError (nothing sent) when any detail breaks its contract.
   */
  async publish(events: readonly DomainEventInput[]): Promise<PublishResult> {
    const entries = events.map((event, index) => toDomainEntry(event, index, this.eventBusName));
    return this.putEntries(entries);
  }

  /** Publishes raw PutEvents entries (service events) with the same batching and retries, unvalidated. */
  async putEntries(entries: readonly PutEventsEntry[]): Promise<PublishResult> {
    const routed = entries.map((entry) => (entry.EventBusName === undefined ? { ...entry, EventBusName: this.eventBusName } : entry));
    const sizes = routed.map(putEventsEntrySize);
    const eventIds: (string | undefined)[] = routed.map(() => undefined);
    const failed: FailedEntry[] = [];
    let pending: number[] = [];
    routed.forEach((_, index) => {
      const size = sizes[index] ?? 0;
      if (size <= this.maxRequestBytes) pending.push(index);
      else failed.push({ index, errorCode: PublisherErrorCode.EntryTooLarge, errorMessage: `entry is ${size} bytes, over the ${this.maxRequestBytes}-byte request limit` });
    });
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const retry: { index: number; error: EntryError }[] = [];
      for (const batch of batchEntries(pending, sizes, this.maxRequestBytes)) {
        const results = await this.send(batch.map((index) => routed[index]).filter(isEntry));
        batch.forEach((index, position) => {
          const result = results[position] ?? MISSING_RESULT;
          if (typeof result === 'string') eventIds[index] = result;
          else if (result.retryable) retry.push({ index, error: result });
          else failed.push({ index, errorCode: result.code, errorMessage: result.message });
        });
      }
      if (retry.length > 0 && attempt >= this.maxAttempts) {
        for (const { index, error } of retry) failed.push({ index, errorCode: error.code, errorMessage: `${error.message} (gave up after ${attempt} attempts)` });
        break;
      }
      pending = retry.map((r) => r.index);
      if (pending.length > 0) await this.sleep(backoffDelayMs(attempt, this.baseDelayMs, this.maxDelayMs, this.random));
    }
    failed.sort((a, b) => a.index - b.index);
    return { eventIds, failed };
  }

  /** Sends one request; answers, per entry, its event id or its error. */
  private async send(batch: readonly PutEventsEntry[]): Promise<(string | EntryError)[]> {
    let entries: readonly PutEventsResultEntry[];
    try {
      entries = (await this.transport.putEvents(batch)).Entries;
    } catch (error) {
      const requestError = classifyRequestError(error);
      return batch.map(() => requestError);
    }
    if (entries.length !== batch.length) {
      const mismatch = { code: PublisherErrorCode.MissingResult, message: `the bus returned ${entries.length} results for ${batch.length} entries`, retryable: true };
      return batch.map(() => mismatch);
    }
    return batch.map((_, position) => {
      const result = entries[position];
      if (result?.EventId !== undefined && result.ErrorCode === undefined) return result.EventId;
      if (result?.ErrorCode !== undefined) {
        const retryable = Object.values<string>(RetryableEntryErrorCode).includes(result.ErrorCode);
        return { code: result.ErrorCode, message: result.ErrorMessage ?? result.ErrorCode, retryable };
      }
      return { code: PublisherErrorCode.MissingResult, message: `the bus returned neither an id nor an error for entry ${position} of the request`, retryable: true };
    });
  }
}

const MISSING_RESULT: EntryError = { code: PublisherErrorCode.MissingResult, message: 'no result for the entry', retryable: true };

function isEntry(entry: PutEventsEntry | undefined): entry is PutEventsEntry {
  return entry !== undefined;
}

function classifyRequestError(error: unknown): EntryError {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof PutEventsRequestError) return { code: error.code, message, retryable: error.retryable };
  if (error instanceof PublisherError) return { code: error.name, message, retryable: error.retryable };
  const code = error instanceof Error ? error.name : 'UnknownError';
  return { code, message: `PutEvents request failed: ${message}`, retryable: !NON_RETRYABLE_REQUEST_ERRORS.has(code) };
}
