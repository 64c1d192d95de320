import { createHash } from 'node:crypto';
import { DomainDetailType, TRIBUTARY_SOURCE, type RawLandedDetail } from '../../../contracts/domain-events';
import { EventEnvelopeSchema, type EventEnvelope } from '../../../contracts/envelope';
import { EventPublisher, PublisherErrorCode } from '../../../events/publisher';
import { putEventsEntrySize } from '../../../events/publisher/entry-size';
import { InvalidDomainEventError } from '../../../events/publisher/errors';
import type { EventBusTransport, PutEventsEntry, PutEventsResponse } from '../../../events/put-events';

/** What a contract run needs from a bus: its transport and a way to see what it accepted. */
export interface PublisherHarness {
  readonly transport: EventBusTransport;
  /** The bus the entries name. */
  readonly eventBusName: string;
  /** The bus's request-size limit (EventBridge: 256 KiB). */
  readonly maxRequestBytes: number;
  /** Every event the bus accepted so far, as it would deliver them (envelopes). */
  accepted(): Promise<readonly unknown[]>;
  /** Makes the next `count` valid entries fail with `errorCode` (needed unless `skipEntryFailures` is given). */
  failNextEntries(count: number, errorCode: string): void;
  close(): Promise<void>;
}

/** A valid RawLanded detail, distinct per `n`. */
export function rawLanded(n: number): RawLandedDetail {
  const key = `traffic/arrival_hour=2024-01-02-03/part-${n}.jsonl`;
  return {
    schemaVersion: 1,
    runId: `run-${n}`,
    dataset: 'traffic',
    object: { bucket: 'tributary-raw', key, etag: createHash('md5').update(key).digest('hex'), size: 100 + n },
  };
}

/** A raw entry whose EventBridge size is exactly `bytes`. */
function entryOfSize(bytes: number, bus: string, tag: string): PutEventsEntry {
  const base = { Source: 'test.contract', DetailType: 'Padded', EventBusName: bus };
  const overhead = putEventsEntrySize({ ...base, Detail: JSON.stringify({ tag, pad: '' }) });
  return { ...base, Detail: JSON.stringify({ tag, pad: 'x'.repeat(bytes - overhead) }) };
}

class RecordingTransport implements EventBusTransport {
  readonly requests: (readonly PutEventsEntry[])[] = [];
  constructor(private readonly inner: EventBusTransport) {}
  putEvents(entries: readonly PutEventsEntry[]): Promise<PutEventsResponse> {
    this.requests.push(entries);
    return this.inner.putEvents(entries);
  }
}

/**
 * The one contract suite for a bus behind EventBusTransport, and for EventPublisher over it: PutEvents
 * limits and per-entry results as EventBridge has them (semantics note §3), envelopes as targets
 * receive them (§2), batching, partial-failure resend and contract validation in the publisher.
 */
export function publisherContract(
  bus: string,
  makeHarness: () => Promise<PublisherHarness>,
  options: { /** Why this bus cannot inject entry failures; skips the resend cases. */ skipEntryFailures?: string } = {},
): void {
  const withFailures = (title: string, body: () => Promise<void>): void => {
    if (options.skipEntryFailures === undefined) it(title, body);
    else it.skip(`${title} (skipped: ${options.skipEntryFailures})`, body);
  };
  describe(`EventBusTransport + EventPublisher contract: ${bus}`, () => {
    let h: PublisherHarness;
    let recorder: RecordingTransport;
    const publisher = (extra: Partial<ConstructorParameters<typeof EventPublisher>[0]> = {}): EventPublisher =>
      new EventPublisher({ transport: recorder, eventBusName: h.eventBusName, maxRequestBytes: h.maxRequestBytes, baseDelayMs: 1, maxDelayMs: 5, ...extra });
    const envelopes = async (): Promise<EventEnvelope[]> => (await h.accepted()).map((e) => EventEnvelopeSchema.parse(e));

    beforeEach(async () => {
      h = await makeHarness();
      recorder = new RecordingTransport(h.transport);
    });
    afterEach(async () => {
      await h.close();
    });

    it('answers PutEvents per entry, in order, with ids that are the delivered events\' ids', async () => {
      const time = new Date('2024-05-06T07:08:09.123Z');
      const entries: PutEventsEntry[] = [
        { Source: 'test.contract', DetailType: 'A', Detail: '{"n":1,"z":{"b":2,"a":1}}', EventBusName: h.eventBusName },
        { Source: 'test.contract', DetailType: 'B', Detail: '{}', EventBusName: h.eventBusName, Time: time, Resources: ['arn:aws:s3:::tributary-raw'] },
      ];
      const response = await h.transport.putEvents(entries);
      expect(response.FailedEntryCount).toBe(0);
      expect(response.Entries).toHaveLength(2);
      const ids = response.Entries.map((e) => e.EventId);
      expect(new Set(ids).size).toBe(2);
      const byId = new Map((await envelopes()).map((e) => [e.id, e]));
      const [first, second] = [byId.get(ids[0] ?? ''), byId.get(ids[1] ?? '')];
      expect(first).toMatchObject({ version: '0', source: 'test.contract', 'detail-type': 'A', resources: [], detail: { n: 1, z: { b: 2, a: 1 } } });
      expect(Object.keys(first?.detail.z ?? {})).toEqual(['b', 'a']);
      expect(second).toMatchObject({ 'detail-type': 'B', time: '2024-05-06T07:08:09Z', resources: ['arn:aws:s3:::tributary-raw'], detail: {} });
    });

    it('fails bad entries alone (InvalidArgument, MalformedDetail) and accepts the rest', async () => {
      const response = await h.transport.putEvents([
        { Source: 'test.contract', DetailType: 'ok', Detail: '{"ok":1}', EventBusName: h.eventBusName },
        { DetailType: 'no-source', Detail: '{}', EventBusName: h.eventBusName },
        { Source: 'test.contract', DetailType: 'array', Detail: '[1,2]', EventBusName: h.eventBusName },
        { Source: 'test.contract', DetailType: 'bad-json', Detail: '{nope', EventBusName: h.eventBusName },
        { Source: 'test.contract', DetailType: 'ok2', Detail: '{"ok":2}', EventBusName: h.eventBusName },
      ]);
      expect(response.FailedEntryCount).toBe(3);
      expect(response.Entries.map((e) => e.ErrorCode)).toEqual([undefined, 'InvalidArgument', 'MalformedDetail', 'MalformedDetail', undefined]);
      expect(response.Entries[1]?.ErrorMessage).toMatch(/Source is a required argument/);
      expect((await envelopes()).map((e) => e['detail-type']).sort()).toEqual(['ok', 'ok2']);
    });

    it('rejects a whole request of 11 entries or over the size limit, accepting none of it', async () => {
      const eleven = Array.from({ length: 11 }, (_, i) => ({ Source: 'test.contract', DetailType: 'x', Detail: `{"i":${i}}`, EventBusName: h.eventBusName }));
      await expect(h.transport.putEvents(eleven)).rejects.toThrow(/less than or equal to 10/);
      const big = [entryOfSize(h.maxRequestBytes / 2, h.eventBusName, 'a'), entryOfSize(h.maxRequestBytes / 2 + 1, h.eventBusName, 'b')];
      await expect(h.transport.putEvents(big)).rejects.toThrow(/over the limit/);
      expect(await h.accepted()).toEqual([]);
    });

    it('publishes validated domain events in requests of at most 10, ids in input order', async () => {
      const details = Array.from({ length: 23 }, (_, i) => rawLanded(i));
      const result = await publisher().publish(details.map((detail) => ({ detailType: DomainDetailType.RawLanded, detail })));
      expect(result.failed).toEqual([]);
      expect(recorder.requests.map((r) => r.length)).toEqual([10, 10, 3]);
      const byId = new Map((await envelopes()).map((e) => [e.id, e]));
      result.eventIds.forEach((id, i) => {
        expect(byId.get(id ?? '')).toMatchObject({ source: TRIBUTARY_SOURCE, 'detail-type': 'RawLanded', detail: details[i] });
      });
    });

    it('splits requests at the size limit as EventBridge counts it', async () => {
      const third = Math.floor(h.maxRequestBytes / 3);
      const entries = Array.from({ length: 7 }, (_, i) => entryOfSize(third, h.eventBusName, `e${i}`));
      const result = await publisher().putEntries(entries);
      expect(result.failed).toEqual([]);
      expect(recorder.requests.map((r) => r.length)).toEqual([3, 3, 1]);
      for (const request of recorder.requests) expect(request.reduce((s, e) => s + putEventsEntrySize(e), 0)).toBeLessThanOrEqual(h.maxRequestBytes);
      expect(await h.accepted()).toHaveLength(7);
    });

    it('reports an entry larger than the limit alone as failed, never sends it, and sends the others', async () => {
      const entries = [entryOfSize(100, h.eventBusName, 'small'), entryOfSize(h.maxRequestBytes + 1, h.eventBusName, 'huge'), entryOfSize(h.maxRequestBytes, h.eventBusName, 'exact')];
      const result = await publisher().putEntries(entries);
      expect(result.failed).toEqual([{ index: 1, errorCode: PublisherErrorCode.EntryTooLarge, errorMessage: expect.stringMatching(/over the \d+-byte request limit/) }]);
      expect(result.eventIds[1]).toBeUndefined();
      expect(result.eventIds[0]).toBeDefined();
      expect(result.eventIds[2]).toBeDefined();
      expect(recorder.requests.flat().some((e) => e.Detail?.includes('"huge"'))).toBe(false);
    });

    it('rejects an invalid detail before sending anything, naming the detail-type and path', async () => {
      const bad = { ...rawLanded(2), object: { ...rawLanded(2).object, size: -1 } };
      const call = publisher().publish([
        { detailType: DomainDetailType.RawLanded, detail: rawLanded(1) },
        { detailType: DomainDetailType.RawLanded, detail: bad },
      ]);
      await expect(call).rejects.toThrow(InvalidDomainEventError);
      await expect(call).rejects.toThrow(/event 1 \(RawLanded\) is invalid: detail\.object\.size/);
      expect(recorder.requests).toEqual([]);
      expect(await h.accepted()).toEqual([]);
    });

    withFailures('resends only the entries that failed with a retryable code, once each', async () => {
      h.failNextEntries(3, 'ThrottlingException');
      const result = await publisher().publish(Array.from({ length: 12 }, (_, i) => ({ detailType: DomainDetailType.RawLanded, detail: rawLanded(i) })));
      expect(result.failed).toEqual([]);
      expect(result.eventIds.every((id) => id !== undefined)).toBe(true);
      expect(recorder.requests.map((r) => r.length)).toEqual([10, 2, 3]);
      const runIds = (await envelopes()).map((e) => e.detail.runId);
      expect(runIds).toHaveLength(12);
      expect(new Set(runIds).size).toBe(12);
    });

    withFailures('reports non-retryable entry failures at once, without resending', async () => {
      h.failNextEntries(2, 'AccessDeniedException');
      const result = await publisher().publish(Array.from({ length: 5 }, (_, i) => ({ detailType: DomainDetailType.RawLanded, detail: rawLanded(i) })));
      expect(result.failed).toEqual([
        { index: 0, errorCode: 'AccessDeniedException', errorMessage: expect.any(String) },
        { index: 1, errorCode: 'AccessDeniedException', errorMessage: expect.any(String) },
      ]);
      expect(result.eventIds.slice(0, 2)).toEqual([undefined, undefined]);
      expect(recorder.requests).toHaveLength(1);
      expect(await h.accepted()).toHaveLength(3);
    });

    withFailures('gives up on an entry that keeps failing after maxAttempts and reports its last error', async () => {
      h.failNextEntries(5, 'InternalFailure'); // entry 0 fails 3 times; entry 1 twice, then gets through
      const result = await publisher({ maxAttempts: 3 }).publish([{ detailType: DomainDetailType.RawLanded, detail: rawLanded(1) }, { detailType: DomainDetailType.RawLanded, detail: rawLanded(2) }]);
      expect(result.failed).toEqual([{ index: 0, errorCode: 'InternalFailure', errorMessage: expect.stringMatching(/after 3 attempts/) }]);
      expect(recorder.requests.map((r) => r.length)).toEqual([2, 2, 2]);
      expect((await envelopes()).map((e) => e.detail.runId)).toEqual(['run-2']);
    });
  });
}
