import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { PutEventsRequestError } from './publisher/errors';
import type { EventBusTransport, PutEventsEntry, PutEventsResponse, PutEventsResultEntry } from './put-events';

/** SDK error names that mean "try again later" for a whole PutEvents request. */
const RETRYABLE_REQUEST_ERRORS: ReadonlySet<string> = new Set([
  'ThrottlingException', 'InternalException', 'InternalFailure', 'ServiceUnavailable', 'ServiceUnavailableException',
  'RequestTimeout', 'RequestTimeoutException', 'TimeoutError', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT',
]);

/**
 * The EventBridge adapter of EventBusTransport: one `PutEventsCommand` per call, through
 * `@aws-sdk/client-eventbridge`. Per-entry results pass through unchanged (same length and order);
 * a rejected request is translated at this edge into PutEventsRequestError, retryable for throttling,
 * service-side and network faults, so callers never test SDK error classes.
 */
export class EventBridgeTransport implements EventBusTransport {
  constructor(private readonly client: EventBridgeClient) {}

  async putEvents(entries: readonly PutEventsEntry[]): Promise<PutEventsResponse> {
    const command = new PutEventsCommand({ Entries: entries.map(toSdkEntry) });
    let output;
    try {
      output = await this.client.send(command);
    } catch (error) {
      throw translate(error);
    }
    const results = (output.Entries ?? []).map(
      (entry): PutEventsResultEntry => ({
        ...(entry.EventId === undefined ? {} : { EventId: entry.EventId }),
        ...(entry.ErrorCode === undefined ? {} : { ErrorCode: entry.ErrorCode }),
        ...(entry.ErrorMessage === undefined ? {} : { ErrorMessage: entry.ErrorMessage }),
      }),
    );
    return { FailedEntryCount: output.FailedEntryCount ?? results.filter((r) => r.ErrorCode !== undefined).length, Entries: results };
  }
}

function toSdkEntry(entry: PutEventsEntry): PutEventsRequestEntry {
  return {
    Source: entry.Source,
    DetailType: entry.DetailType,
    Detail: entry.Detail,
    EventBusName: entry.EventBusName,
    TraceHeader: entry.TraceHeader,
    Time: entry.Time,
    Resources: entry.Resources === undefined ? undefined : [...entry.Resources],
  };
}

function translate(error: unknown): PutEventsRequestError {
  if (!(error instanceof Error)) return new PutEventsRequestError(`PutEvents failed: ${String(error)}`, { code: 'UnknownError', retryable: true, cause: error });
  const code = 'code' in error && typeof error.code === 'string' ? error.code : error.name;
  const retryable = RETRYABLE_REQUEST_ERRORS.has(code) || isMarkedRetryable(error) || isServerFault(error);
  return new PutEventsRequestError(`PutEvents failed with ${code}: ${error.message}`, { code, retryable, cause: error });
}

function isMarkedRetryable(error: Error): boolean {
  return '$retryable' in error && typeof error.$retryable === 'object' && error.$retryable !== null;
}

function isServerFault(error: Error): boolean {
  return '$fault' in error && error.$fault === 'server';
}
