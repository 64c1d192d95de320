import { randomUUID } from 'node:crypto';
import {
  EventBridgeClient,
  EventBridgeServiceException,
  InternalException,
  PutEventsCommand,
  ThrottlingException,
  type PutEventsCommandInput,
  type PutEventsCommandOutput,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { putEventsEntrySize } from '../../events/publisher/entry-size';

/** One event the emulated service accepted, as EventBridge would deliver it. */
export type AcceptedEnvelope = Record<string, unknown>;

/**
 * Test double of the EventBridge service behind `aws-sdk-client-mock`: answers PutEventsCommand as
 * the real service does (§3 of the semantics note): 1–10 entries, the request-size limit computed per
 * entry, per-entry `InvalidArgument`/`MalformedDetail` results with processing continuing, an id per
 * accepted event. Tests can queue per-entry failure codes or whole-request exceptions.
 */
export class EventBridgeEmulator {
  readonly client = new EventBridgeClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  readonly accepted: AcceptedEnvelope[] = [];
  readonly requests: PutEventsCommandInput[] = [];
  private readonly entryFailures: string[] = [];
  private readonly requestFailures: Error[] = [];
  private readonly mock = mockClient(this.client);

  constructor(readonly maxRequestBytes = 256 * 1024) {
    this.mock.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => this.putEvents(input));
  }

  /** The next `count` otherwise-valid entries fail with `errorCode`. */
  failNextEntries(count: number, errorCode: string): void {
    for (let i = 0; i < count; i += 1) this.entryFailures.push(errorCode);
  }

  /** The next request rejects with an SDK exception of this name. */
  failNextRequest(name: 'ThrottlingException' | 'InternalException' | 'AccessDeniedException'): void {
    const meta = { $metadata: {}, message: `${name} (emulated)` };
    if (name === 'ThrottlingException') this.requestFailures.push(new ThrottlingException(meta));
    else if (name === 'InternalException') this.requestFailures.push(new InternalException(meta));
    else this.requestFailures.push(new EventBridgeServiceException({ name, $fault: 'client', ...meta }));
  }

  restore(): void {
    this.mock.restore();
  }

  private putEvents(input: PutEventsCommandInput): PutEventsCommandOutput {
    this.requests.push(input);
    const queued = this.requestFailures.shift();
    if (queued !== undefined) throw queued;
    const entries = input.Entries ?? [];
    if (entries.length < 1 || entries.length > 10) {
      throw validation(`1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${entries.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 10'}`);
    }
    const total = entries.reduce((sum, entry) => sum + putEventsEntrySize(entry), 0);
    if (total > this.maxRequestBytes) throw validation('Total size of the entries in the request is over the limit.');
    const results = entries.map((entry): PutEventsResultEntry => {
      for (const field of ['Source', 'DetailType', 'Detail'] as const) {
        if (entry[field] === undefined) return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` };
      }
      let detail: unknown;
      try {
        detail = JSON.parse(entry.Detail ?? '');
      } catch {
        detail = undefined;
      }
      if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      const failure = this.entryFailures.shift();
      if (failure !== undefined) return { ErrorCode: failure, ErrorMessage: `${failure} (emulated)` };
      const id = randomUUID();
      this.accepted.push({
        version: '0',
        id,
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: '000000000000',
        time: (entry.Time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: 'us-east-1',
        resources: entry.Resources ?? [],
        detail,
      });
      return { EventId: id };
    });
    return { FailedEntryCount: results.filter((r) => r.ErrorCode !== undefined).length, Entries: results, $metadata: {} };
  }
}

function validation(message: string): EventBridgeServiceException {
  return new EventBridgeServiceException({ name: 'ValidationException', $fault: 'client', $metadata: {}, message });
}
