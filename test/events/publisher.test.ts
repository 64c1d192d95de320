import { DomainDetailType } from '../../contracts/domain-events';
import { EventPublisher } from '../../events/publisher';
import { backoffDelayMs } from '../../events/publisher/backoff';
import { batchEntries } from '../../events/publisher/batch-entries';
import { putEventsEntrySize } from '../../events/publisher/entry-size';
import { InvalidDomainEventError, PutEventsRequestError } from '../../events/publisher/errors';
import type { EventBusTransport, PutEventsEntry, PutEventsResponse } from '../../events/put-events';
import { rawLanded } from '../handlers/ports/publisher.contract';

type Answer = (entries: readonly PutEventsEntry[]) => PutEventsResponse;

/** A transport that answers each request with the next scripted answer (the last one repeats). */
class ScriptedTransport implements EventBusTransport {
  readonly requests: (readonly PutEventsEntry[])[] = [];
  private next = 0;
  constructor(private readonly answers: readonly (Answer | Error)[]) {}
  async putEvents(entries: readonly PutEventsEntry[]): Promise<PutEventsResponse> {
    this.requests.push(entries);
    const answer = this.answers[Math.min(this.next, this.answers.length - 1)];
    this.next += 1;
    if (answer instanceof Error) throw answer;
    if (answer === undefined) throw new Error('no answer scripted');
    return answer(entries);
  }
}

const ok: Answer = (entries) => ({ FailedEntryCount: 0, Entries: entries.map((e) => ({ EventId: `id-${JSON.parse(e.Detail ?? '{}').runId ?? e.Detail}` })) });
const throttleAll: Answer = (entries) => ({ FailedEntryCount: entries.length, Entries: entries.map(() => ({ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' })) });
const landed = (n: number) => ({ detailType: DomainDetailType.RawLanded, detail: rawLanded(n) });

describe('putEventsEntrySize', () => {
  it('counts 14 bytes for Time and UTF-8 bytes of Source, DetailType, Detail and Resources only', () => {
    expect(putEventsEntrySize({ Source: 'ab', DetailType: 'c', Detail: '{}' })).toBe(5);
    expect(putEventsEntrySize({ Source: 'ab', DetailType: 'c', Detail: '{}', Time: new Date() })).toBe(19);
    expect(putEventsEntrySize({ Source: 'é', DetailType: '✓', Detail: '{"k":"😀"}', Resources: ['r1', 'rr2'] })).toBe(2 + 3 + 12 + 5);
    expect(putEventsEntrySize({ Source: 'a', DetailType: 'b', Detail: '{}', EventBusName: 'a-long-bus-name', TraceHeader: 'Root=1' })).toBe(4);
  });
});

describe('batchEntries', () => {
  it('cuts at 10 entries and at the byte limit, keeping order; an exact fit stays in one request', () => {
    expect(batchEntries([...Array(21).keys()], Array(21).fill(1), 1000).map((b) => b.length)).toEqual([10, 10, 1]);
    expect(batchEntries([0, 1, 2, 3], [50, 50, 1, 100], 100)).toEqual([[0, 1], [2], [3]]);
    expect(batchEntries([4, 2], [0, 0, 60, 0, 40], 100)).toEqual([[4, 2]]);
  });
});

describe('backoffDelayMs', () => {
  it('doubles per attempt, is capped, and keeps at least half the step', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelayMs(a, 100, 10_000, () => 0))).toEqual([50, 100, 200, 400]);
    expect([1, 2, 3, 4].map((a) => backoffDelayMs(a, 100, 10_000, () => 0.999999))).toEqual([100, 200, 400, 800].map((v) => expect.closeTo(v, 2)));
    expect(backoffDelayMs(30, 100, 1000, () => 0.5)).toBe(750);
  });
});

describe('EventPublisher', () => {
  it('retries a throttled entry with growing, bounded, jittered delays and stops at maxAttempts', async () => {
    const transport = new ScriptedTransport([throttleAll]);
    const sleeps: number[] = [];
    const publisher = new EventPublisher({ transport, eventBusName: 'tributary', maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1000, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });
    const result = await publisher.publish([landed(1)]);
    expect(transport.requests).toHaveLength(6);
    expect(sleeps).toEqual([75, 150, 300, 600, 750]);
    expect(result).toEqual({ eventIds: [undefined], failed: [{ index: 0, errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded (gave up after 6 attempts)' }] });
  });

  it('uses real jitter by default: two publishers do not wait in lockstep', async () => {
    const waits = await Promise.all([0, 1].map(async () => {
      const sleeps: number[] = [];
      await new EventPublisher({ transport: new ScriptedTransport([throttleAll]), eventBusName: 'b', maxAttempts: 4, sleep: async (ms) => void sleeps.push(ms) }).publish([landed(1)]);
      return sleeps;
    }));
    expect(waits[0]).toHaveLength(3);
    expect(waits[0]).not.toEqual(waits[1]);
    for (const [i, ms] of (waits[0] ?? []).entries()) expect(ms).toBeGreaterThanOrEqual(50 * 2 ** i);
  });

  it('resends a whole request that failed transiently, and reports one that failed as poison', async () => {
    const transient = new ScriptedTransport([new PutEventsRequestError('slow down', { code: 'ThrottlingException', retryable: true }), ok]);
    const first = await new EventPublisher({ transport: transient, eventBusName: 'b', sleep: async () => undefined }).publish([landed(1), landed(2)]);
    expect(first).toEqual({ eventIds: ['id-run-1', 'id-run-2'], failed: [] });
    expect(transient.requests).toHaveLength(2);

    const poison = new ScriptedTransport([new PutEventsRequestError('denied', { code: 'AccessDeniedException', retryable: false })]);
    const second = await new EventPublisher({ transport: poison, eventBusName: 'b', sleep: async () => undefined }).publish([landed(1)]);
    expect(second.failed).toEqual([{ index: 0, errorCode: 'AccessDeniedException', errorMessage: 'denied' }]);
    expect(poison.requests).toHaveLength(1);
  });

  it('treats a foreign rejection as transient unless it names a validation-type error', async () => {
    const network = Object.assign(new Error('socket hang up'), { name: 'ECONNRESET' });
    const t1 = new ScriptedTransport([network, ok]);
    expect((await new EventPublisher({ transport: t1, eventBusName: 'b', sleep: async () => undefined }).publish([landed(1)])).failed).toEqual([]);
    const validation = Object.assign(new Error('Total size of the entries in the request is over the limit.'), { name: 'ValidationException' });
    const t2 = new ScriptedTransport([validation]);
    const result = await new EventPublisher({ transport: t2, eventBusName: 'b', sleep: async () => undefined }).publish([landed(1)]);
    expect(result.failed).toEqual([{ index: 0, errorCode: 'ValidationException', errorMessage: expect.stringMatching(/over the limit/) }]);
    expect(t2.requests).toHaveLength(1);
  });

  it('treats a response of the wrong length as a transient failure of the whole request', async () => {
    const short: Answer = (entries) => ({ FailedEntryCount: 0, Entries: entries.slice(1).map(() => ({ EventId: 'x' })) });
    const transport = new ScriptedTransport([short, ok]);
    const result = await new EventPublisher({ transport, eventBusName: 'b', sleep: async () => undefined }).publish([landed(1), landed(2)]);
    expect(result.failed).toEqual([]);
    expect(transport.requests.map((r) => r.length)).toEqual([2, 2]);
  });

  it('keeps ids in input order across mixed outcomes and fills in the bus name', async () => {
    const mixed: Answer = (entries) => ({
      FailedEntryCount: 1,
      Entries: entries.map((e, i) => (i === 1 ? { ErrorCode: 'InvalidArgument', ErrorMessage: 'bad' } : { EventId: `id-${e.DetailType}` })),
    });
    const transport = new ScriptedTransport([mixed]);
    const result = await new EventPublisher({ transport, eventBusName: 'default' }).putEntries([
      { Source: 'aws.s3', DetailType: 'a', Detail: '{}' },
      { Source: 'aws.s3', DetailType: 'b', Detail: '{}' },
      { Source: 'aws.s3', DetailType: 'c', Detail: '{}', EventBusName: 'other' },
    ]);
    expect(result).toEqual({ eventIds: ['id-a', undefined, 'id-c'], failed: [{ index: 1, errorCode: 'InvalidArgument', errorMessage: 'bad' }] });
    expect(transport.requests[0]?.map((e) => e.EventBusName)).toEqual(['default', 'default', 'other']);
  });

  it('counts Time when batching at the size limit', async () => {
    const transport = new ScriptedTransport([ok]);
    const entry = (t?: Date): PutEventsEntry => ({ Source: 'ss', DetailType: 'dd', Detail: '{"x":"' + 'y'.repeat(40) + '"}', ...(t ? { Time: t } : {}) });
    const size = putEventsEntrySize(entry());
    const publisher = new EventPublisher({ transport, eventBusName: 'b', maxRequestBytes: 2 * size });
    await publisher.putEntries([entry(), entry()]);
    await publisher.putEntries([entry(new Date()), entry(new Date())]);
    expect(transport.requests.map((r) => r.length)).toEqual([2, 1, 1]);
  });

  it('rejects unknown detail-types and invalid times as contract violations, sending nothing', async () => {
    const transport = new ScriptedTransport([ok]);
    const publisher = new EventPublisher({ transport, eventBusName: 'b' });
    const unknown = [{ detailType: 'RawLandedd', detail: {} }] as unknown as Parameters<EventPublisher['publish']>[0];
    await expect(publisher.publish(unknown)).rejects.toThrow(/event 0 \(RawLandedd\) is invalid: detail-type: unknown "RawLandedd"/);
    await expect(publisher.publish([{ ...landed(1), time: new Date('nope') }])).rejects.toMatchObject({ retryable: false, problems: ['time: not a valid date'] });
    const missing = { ...rawLanded(1), runId: undefined } as unknown as ReturnType<typeof rawLanded>;
    const error = await publisher.publish([{ detailType: DomainDetailType.RawLanded, detail: missing }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidDomainEventError);
    expect(error).toMatchObject({ index: 0, detailType: 'RawLanded', retryable: false, problems: [expect.stringMatching(/^detail\.runId: /)] });
    expect(transport.requests).toEqual([]);
  });

  it('sends the contract\'s parsed detail, with Source, resources and time', async () => {
    const transport = new ScriptedTransport([ok]);
    const time = new Date('2024-02-03T04:05:06Z');
    const extra = { ...rawLanded(3), unexpected: 'dropped' } as ReturnType<typeof rawLanded>;
    await new EventPublisher({ transport, eventBusName: 'tributary' }).publish([{ detailType: DomainDetailType.RawLanded, detail: extra, resources: ['arn:aws:s3:::tributary-raw'], time }]);
    const [sent] = transport.requests[0] ?? [];
    expect(sent).toEqual({ Source: 'tributary.pipeline', DetailType: 'RawLanded', Detail: JSON.stringify(rawLanded(3)), EventBusName: 'tributary', Resources: ['arn:aws:s3:::tributary-raw'], Time: time });
  });
});
