import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventEnvelope } from '../../../../contracts/envelope';
import { busArn, stageTargetArn } from '../../../../infra/emulators/bus/bus-arns';
import type { LocalEventBus } from '../../../../infra/emulators/bus/local-event-bus';
import { BusFixture, entry } from './bus-test-helpers';

const fixture = new BusFixture();
afterEach(() => fixture.cleanup());

async function subscribe(bus: LocalEventBus, name: string, pattern: object, stage: string, extra: Record<string, unknown> = {}): Promise<void> {
  await bus.putRule({ Name: name, EventBusName: 'tributary', EventPattern: JSON.stringify(pattern) });
  await bus.putTargets({ Rule: name, EventBusName: 'tributary', Targets: [{ Id: stage, Arn: stageTargetArn(stage), ...extra }] });
}

function collect(bus: LocalEventBus, stage: string): EventEnvelope[] {
  const received: EventEnvelope[] = [];
  bus.registerStageHandler(stage, (event) => {
    received.push(event);
  });
  return received;
}

describe('PutEvents', () => {
  it('rejects requests of 0 or more than 10 entries, or over the size limit, as a whole', async () => {
    const bus = await fixture.open({ maxRequestBytes: 60 });
    await expect(bus.putEvents([])).rejects.toMatchObject({ code: 'ValidationException' });
    await expect(bus.putEvents(Array.from({ length: 11 }, () => entry('a')))).rejects.toMatchObject({
      code: 'ValidationException',
      message: expect.stringContaining('Member must have length less than or equal to 10'),
    });
    // 1 (Source) + 10 (DetailType) + 40 (Detail) + 9 (Resources) = 60 bytes: at the limit, accepted.
    const atLimit = { Source: 'a', DetailType: 'Test Event', Detail: JSON.stringify({ k: 'x'.repeat(32) }), Resources: ['r'.repeat(9)] };
    expect((await bus.putEvents([atLimit])).FailedEntryCount).toBe(0);
    // Time adds 14 bytes to the count.
    await expect(bus.putEvents([{ ...atLimit, Time: new Date() }])).rejects.toMatchObject({ message: 'Total size of the entries in the request is over the limit.' });
  });

  it('answers per entry, in order, with InvalidArgument and MalformedDetail for bad entries', async () => {
    const bus = await fixture.open();
    const response = await bus.putEvents([
      { DetailType: 'x', Detail: '{}' },
      { Source: 's', Detail: '{}' },
      { Source: 's', DetailType: 'x' },
      { Source: 's', DetailType: 'x', Detail: '[1]' },
      { Source: 's', DetailType: 'x', Detail: '"text"' },
      { Source: 's', DetailType: 'x', Detail: '{not json' },
      { Source: 's', DetailType: 'x', Detail: '{}' },
    ]);
    expect(response.FailedEntryCount).toBe(6);
    expect(response.Entries.map((e) => e.ErrorCode ?? 'ok')).toEqual(['InvalidArgument', 'InvalidArgument', 'InvalidArgument', 'MalformedDetail', 'MalformedDetail', 'MalformedDetail', 'ok']);
    expect(response.Entries[0]?.ErrorMessage).toBe('Parameter Source is not valid. Reason: Source is a required argument.');
    expect(response.Entries[1]?.ErrorMessage).toBe('Parameter DetailType is not valid. Reason: DetailType is a required argument.');
    expect(response.Entries[2]?.ErrorMessage).toBe('Parameter Detail is not valid. Reason: Detail is a required argument.');
    expect(response.Entries[3]?.ErrorMessage).toBe('Detail is malformed.');
    expect(response.Entries[6]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('builds the envelope as EventBridge does: key order, seconds-precision time, id = EventId, caller key order', async () => {
    const bus = await fixture.open();
    const accepted: string[] = [];
    bus.onEvent(({ bus: name, event }) => accepted.push(`${name} ${JSON.stringify(event)}`));
    const response = await bus.putEvents([{ ...entry('orders'), Detail: '{"z":1,"a":{"y":2,"b":3}}', Time: new Date('2024-05-06T07:08:09.987Z') }]);
    const id = response.Entries[0]?.EventId;
    expect(accepted).toEqual([
      `tributary {"version":"0","id":"${id}","detail-type":"Test Event","source":"orders","account":"000000000000","time":"2024-05-06T07:08:09Z","region":"us-east-1","resources":[],"detail":{"z":1,"a":{"y":2,"b":3}}}`,
    ]);
  });

  it('accepts an entry for an unknown bus and drops it silently, by name or ARN', async () => {
    const bus = await fixture.open();
    const accepted: string[] = [];
    bus.onEvent(({ bus: name }) => accepted.push(name));
    const response = await bus.putEvents([
      { ...entry('a'), EventBusName: 'nope' },
      { ...entry('a'), EventBusName: busArn('default') },
    ]);
    expect(response.FailedEntryCount).toBe(0);
    expect(response.Entries[0]?.EventId).toBeDefined();
    expect(accepted).toEqual(['default']);
  });
});

describe('rules', () => {
  it('shapes rule ARNs as AWS and validates patterns, buses and targets', async () => {
    const bus = await fixture.open();
    expect((await bus.putRule({ Name: 'r', EventPattern: '{"source":["a"]}' })).RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/r');
    expect((await bus.putRule({ Name: 'r', EventBusName: busArn('tributary'), EventPattern: '{"source":["a"]}' })).RuleArn).toBe(
      'arn:aws:events:us-east-1:000000000000:rule/tributary/r',
    );
    await expect(bus.putRule({ Name: 'bad', EventPattern: '[1]' })).rejects.toMatchObject({
      code: 'InvalidEventPatternException',
      message: 'Event pattern is not valid. Reason: Filter is not an object\n at [Source: (String)"[1]"; line: 1, column: 2]',
    });
    await expect(bus.putRule({ Name: 'bad', EventPattern: '{nope' })).rejects.toMatchObject({ code: 'InvalidEventPatternException' });
    await expect(bus.putRule({ Name: 'bad', EventPattern: '{"source":"a"}' })).rejects.toMatchObject({
      code: 'InvalidEventPatternException',
      message: 'Event pattern is not valid. Reason: "source" must be an object or an array',
    });
    await expect(bus.putRule({ Name: 'x', EventBusName: 'nope', EventPattern: '{}' })).rejects.toMatchObject({ code: 'ResourceNotFoundException', message: 'Event bus nope does not exist.' });
    await expect(bus.putRule({ Name: 'bad name!', EventPattern: '{"source":["a"]}' })).rejects.toMatchObject({ code: 'ValidationException' });
    await expect(bus.putTargets({ Rule: 'r', Targets: [{ Id: 't', Arn: 'http://example.com/hook' }] })).rejects.toMatchObject({
      code: 'ValidationException',
      message: expect.stringContaining('loopback'),
    });
    await expect(bus.putTargets({ Rule: 'missing', Targets: [{ Id: 't', Arn: stageTargetArn('s') }] })).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
    await bus.putTargets({ Rule: 'r', Targets: [{ Id: 't', Arn: stageTargetArn('s') }] });
    await expect(bus.deleteRule({ Name: 'r' })).rejects.toMatchObject({ code: 'ValidationException', message: "Rule can't be deleted since it has targets." });
    expect((await bus.removeTargets({ Rule: 'r', Ids: ['t', 'ghost'] })).FailedEntryCount).toBe(1);
    await bus.deleteRule({ Name: 'r' });
    expect((await bus.listRules()).Rules).toEqual([]);
    expect((await bus.listRules({ EventBusName: 'tributary' })).Rules.map((rule) => rule.Name)).toEqual(['r']);
  });

  it('delivers each event to the targets of exactly the rules that match it, indexed or not', async () => {
    const bus = await fixture.open();
    const bySource = collect(bus, 'by-source');
    const byPrefix = collect(bus, 'by-prefix');
    const unindexed = collect(bus, 'unindexed');
    const disabled = collect(bus, 'disabled');
    await subscribe(bus, 'by-source', { source: ['orders'], detail: { size: [{ numeric: ['>', 5] }] } }, 'by-source');
    await subscribe(bus, 'by-prefix', { 'detail-type': ['Order Placed'] }, 'by-prefix');
    await subscribe(bus, 'unindexed', { detail: { size: [1] } }, 'unindexed');
    await subscribe(bus, 'disabled', { source: ['orders'] }, 'disabled');
    await bus.putRule({ Name: 'disabled', EventBusName: 'tributary', State: 'DISABLED', EventPattern: '{"source":["orders"]}' });
    bus.start();
    await bus.putEvents([entry('orders', { size: 9 }, 'Order Placed'), entry('orders', { size: 1 }), entry('other', { size: 9 }, 'Order Placed')]);
    await bus.whenQuiescent();
    expect(bySource.map((e) => e.detail.size)).toEqual([9]);
    expect(byPrefix.map((e) => e.source).sort()).toEqual(['orders', 'other']);
    expect(unindexed.map((e) => e.source)).toEqual(['orders']);
    expect(disabled).toEqual([]);
  });
});

describe('delivery, retries and DLQ', () => {
  it('retries a failing handler with backoff, then dead-letters with the EventBridge attributes', async () => {
    const bus = await fixture.open();
    let calls = 0;
    bus.registerStageHandler('flaky', () => {
      calls += 1;
      throw new Error('disk full');
    });
    await subscribe(bus, 'r', { source: ['a'] }, 'flaky', { RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:flaky-dlq' } });
    bus.start();
    const id = (await bus.putEvents([entry('a', { k: 1 })])).Entries[0]?.EventId;
    await bus.whenQuiescent();
    expect(calls).toBe(3);
    const [message, ...rest] = bus.listDeadLetterMessages('flaky-dlq');
    expect(rest).toEqual([]);
    expect(message?.event.id).toBe(id);
    expect(message?.event.detail).toEqual({ k: 1 });
    expect(message?.attributes).toEqual({
      RULE_ARN: 'arn:aws:events:us-east-1:000000000000:rule/tributary/r',
      TARGET_ARN: 'arn:tributary:stage:flaky',
      ERROR_CODE: 'HANDLER_ERROR',
      ERROR_MESSAGE: 'Error: disk full',
      EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
      RETRY_ATTEMPTS: '2',
    });
    expect(bus.listDeadLetterQueues()).toEqual([{ queue: 'flaky-dlq', depth: 1 }]);
  });

  it('sends a poison error straight to the DLQ, and succeeds a transient one on retry', async () => {
    const bus = await fixture.open();
    let attempts = 0;
    bus.registerStageHandler('poison', () => {
      throw Object.assign(new Error('bad row'), { retryable: false });
    });
    bus.registerStageHandler('transient', () => {
      attempts += 1;
      if (attempts < 3) throw new Error('busy');
    });
    await subscribe(bus, 'p', { source: ['a'] }, 'poison', { DeadLetterConfig: { Arn: 'dlq' } });
    await subscribe(bus, 't', { source: ['a'] }, 'transient', { DeadLetterConfig: { Arn: 'dlq' } });
    bus.start();
    await bus.putEvents([entry('a')]);
    await bus.whenQuiescent();
    expect(attempts).toBe(3);
    expect(bus.listDeadLetterMessages('dlq').map((m) => [m.attributes.ERROR_CODE, m.attributes.EXHAUSTED_RETRY_CONDITION, m.attributes.RETRY_ATTEMPTS])).toEqual([
      ['POISON_EVENT', 'NonRetryableError', '0'],
    ]);
  });

  it('drops an exhausted delivery without a DLQ, and a pending retry whose target was removed', async () => {
    const bus = await fixture.open({ backoffBaseMs: 50, backoffMaxMs: 50 });
    let attempts = 0;
    bus.registerStageHandler('broken', () => {
      attempts += 1;
      throw new Error('always');
    });
    await subscribe(bus, 'nodlq', { source: ['a'] }, 'broken', { RetryPolicy: { MaximumRetryAttempts: 0 } });
    await subscribe(bus, 'removed', { source: ['b'] }, 'broken', { DeadLetterConfig: { Arn: 'dlq' } });
    bus.start();
    await bus.putEvents([entry('a'), entry('b')]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await bus.removeTargets({ Rule: 'removed', EventBusName: 'tributary', Ids: ['broken'] });
    await bus.whenQuiescent();
    expect(attempts).toBe(2);
    expect(bus.listDeadLetterQueues()).toEqual([]);
  });

  it('stops retrying at the maximum event age', async () => {
    let clock = Date.parse('2025-01-01T00:00:00Z');
    const bus = await fixture.open({ now: () => clock });
    bus.registerStageHandler('slow', () => {
      clock += 30_000;
      throw new Error('timeout');
    });
    await subscribe(bus, 'r', { source: ['a'] }, 'slow', { RetryPolicy: { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 185 }, DeadLetterConfig: { Arn: 'dlq' } });
    bus.start();
    await bus.putEvents([entry('a')]);
    await bus.whenQuiescent();
    expect(bus.listDeadLetterMessages('dlq').map((m) => [m.attributes.EXHAUSTED_RETRY_CONDITION, m.attributes.RETRY_ATTEMPTS])).toEqual([['MaximumEventAgeInSeconds', '1']]);
  });

  it('POSTs to loopback HTTP targets: 2xx delivered, 429 retried, other 4xx dead-lettered at once', async () => {
    const seen: Array<[string, number]> = [];
    const server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const event = JSON.parse(body) as EventEnvelope;
        const kind = String(event.detail.kind);
        const count = seen.filter(([k]) => k === kind).length;
        seen.push([kind, count]);
        const status = kind === 'ok' ? 204 : kind === 'throttled' ? (count < 2 ? 429 : 200) : 404;
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const bus = await fixture.open();
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      await bus.putRule({ Name: 'h', EventBusName: 'tributary', EventPattern: '{"source":["a"]}' });
      await bus.putTargets({ Rule: 'h', EventBusName: 'tributary', Targets: [{ Id: 'hook', Arn: url, DeadLetterConfig: { Arn: 'hook-dlq' } }] });
      bus.start();
      await bus.putEvents([entry('a', { kind: 'ok' }), entry('a', { kind: 'throttled' }), entry('a', { kind: 'gone' })]);
      await bus.whenQuiescent();
      expect(seen.map(([kind]) => kind).sort()).toEqual(['gone', 'ok', 'throttled', 'throttled', 'throttled']);
      expect(bus.listDeadLetterMessages('hook-dlq').map((m) => [m.event.detail.kind, m.attributes.ERROR_CODE, m.attributes.TARGET_ARN])).toEqual([['gone', 'HTTP_CLIENT_ERROR', url]]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('forwards events to another bus through a bus-ARN target, keeping the event', async () => {
    const bus = await fixture.open();
    const received = collect(bus, 'consumer');
    await bus.putRule({ Name: 'forward', EventPattern: '{"source":["aws.s3"]}' });
    await bus.putTargets({ Rule: 'forward', Targets: [{ Id: 'to-tributary', Arn: busArn('tributary') }] });
    await subscribe(bus, 'consume', { source: ['aws.s3'] }, 'consumer');
    bus.start();
    const id = (await bus.putEvents([{ Source: 'aws.s3', DetailType: 'Object Created', Detail: '{}' }])).Entries[0]?.EventId;
    await bus.whenQuiescent();
    expect(received.map((e) => e.id)).toEqual([id]);
  });

  it('redrives a DLQ message to its original target, and deletes messages', async () => {
    const bus = await fixture.open();
    let healthy = false;
    const received: string[] = [];
    bus.registerStageHandler('s', (event) => {
      if (!healthy) throw Object.assign(new Error('down'), { poison: true });
      received.push(event.id);
    });
    await subscribe(bus, 'r', { source: ['a'] }, 's', { DeadLetterConfig: { Arn: 'dlq' } });
    bus.start();
    const ids = (await bus.putEvents([entry('a'), entry('a')])).Entries.map((e) => e.EventId);
    await bus.whenQuiescent();
    const [first, second] = bus.listDeadLetterMessages('dlq');
    healthy = true;
    await bus.redriveDeadLetterMessage('dlq', first?.messageId ?? '');
    await bus.deleteDeadLetterMessage('dlq', second?.messageId ?? '');
    await bus.whenQuiescent();
    expect(received).toEqual([first?.event.id]);
    expect(ids).toContain(first?.event.id);
    expect(bus.listDeadLetterMessages('dlq')).toEqual([]);
    await expect(bus.deleteDeadLetterMessage('dlq', 'nope')).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
  });
});

describe('persistence', () => {
  it('keeps rules, pending deliveries and DLQ messages across a restart', async () => {
    const home = await fixture.home();
    const first = await fixture.open({ home });
    await subscribe(first, 'r', { source: ['a'] }, 'later', { DeadLetterConfig: { Arn: 'dlq' } });
    await subscribe(first, 'p', { source: ['p'] }, 'poison', { DeadLetterConfig: { Arn: 'dlq' } });
    first.registerStageHandler('poison', () => {
      throw Object.assign(new Error('no'), { retryable: false });
    });
    first.start();
    await first.putEvents([entry('p')]);
    await first.whenQuiescent();
    first.registerStageHandler('later', () => {
      throw new Error('not now');
    });
    await first.close();
    // A restart without a start in between: the event is owed, not lost.
    const second = await fixture.open({ home });
    const ids = (await second.putEvents([entry('a', { n: 1 }), entry('a', { n: 2 })])).Entries.map((e) => e.EventId);
    await second.close();
    const third = await fixture.open({ home });
    const received = collect(third, 'later');
    third.start();
    await third.whenQuiescent();
    expect(received.map((e) => e.id).sort()).toEqual([...ids].sort());
    expect((await third.describeRule({ Name: 'r', EventBusName: 'tributary' })).EventPattern).toBe('{"source":["a"]}');
    expect(third.listDeadLetterMessages('dlq').map((m) => m.event.source)).toEqual(['p']);
  });
});

describe('observability', () => {
  it('streams accepted events and reports quiescence', async () => {
    const bus = await fixture.open();
    let release: () => void = () => undefined;
    bus.registerStageHandler('slow', () => new Promise<void>((resolve) => (release = resolve)));
    await subscribe(bus, 'r', { source: ['a'] }, 'slow');
    const controller = new AbortController();
    const tail = (async () => {
      const seen: string[] = [];
      for await (const { event } of bus.events(controller.signal)) {
        seen.push(event.source);
        if (seen.length === 2) controller.abort();
      }
      return seen;
    })();
    bus.start();
    expect(bus.isQuiescent()).toBe(true);
    await bus.putEvents([entry('a'), entry('b')]);
    expect(await tail).toEqual(['a', 'b']);
    expect(bus.isQuiescent()).toBe(false);
    let quiet = false;
    const waiting = bus.whenQuiescent().then(() => (quiet = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(quiet).toBe(false);
    release();
    await waiting;
    expect(bus.isQuiescent()).toBe(true);
  });
});
