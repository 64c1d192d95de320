import { DisableRuleCommand, EnableRuleCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { EventBridgeEndpoint } from '../../../../infra/emulators/bus/eventbridge-endpoint';
import type { LocalEventBus } from '../../../../infra/emulators/bus/local-event-bus';
import { BusFixture, startConsumer, type Consumer } from './bus-test-helpers';

const RULE_ARN = 'arn:aws:events:us-east-1:000000000000:rule/hourly';

describe('schedule rules through the unmodified SDK client, on an injected clock', () => {
  const fixture = new BusFixture();
  const endpoints: EventBridgeEndpoint[] = [];
  let consumer: Consumer;
  let clock = Date.parse('2025-03-01T10:20:00Z');

  beforeEach(async () => {
    consumer = await startConsumer();
  });
  afterEach(async () => {
    for (const endpoint of endpoints.splice(0)) await endpoint.close();
    await consumer.close();
    await fixture.cleanup();
  });

  async function serve(bus: LocalEventBus): Promise<EventBridgeClient> {
    const endpoint = await EventBridgeEndpoint.start(bus, 0);
    endpoints.push(endpoint);
    return new EventBridgeClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  }

  async function advanceTo(bus: LocalEventBus, iso: string): Promise<number> {
    clock = Date.parse(iso);
    const fired = await bus.runSchedules();
    await bus.whenQuiescent();
    return fired;
  }

  it('fires Scheduled Events from aws.events at each cron slot, and once on start for slots missed while stopped', async () => {
    clock = Date.parse('2025-03-01T10:20:00Z');
    const home = await fixture.home();
    const bus = await fixture.open({ home, now: () => clock });
    bus.start();
    const client = await serve(bus);
    const { RuleArn } = await client.send(new PutRuleCommand({ Name: 'hourly', ScheduleExpression: 'cron(0 * * * ? *)' }));
    expect(RuleArn).toBe(RULE_ARN);
    await client.send(new PutTargetsCommand({ Rule: 'hourly', Targets: [{ Id: 'http', Arn: consumer.url }] }));
    expect(await advanceTo(bus, '2025-03-01T10:59:59Z')).toBe(0);
    expect(await advanceTo(bus, '2025-03-01T11:00:00Z')).toBe(1);
    expect(await advanceTo(bus, '2025-03-01T11:30:00Z')).toBe(0);
    expect(consumer.received).toEqual([
      {
        version: '0',
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: '000000000000',
        time: '2025-03-01T11:00:00Z',
        region: 'us-east-1',
        resources: [RULE_ARN],
        detail: {},
      },
    ]);

    await bus.close();
    clock = Date.parse('2025-03-01T15:10:00Z');
    const restarted = await fixture.open({ home, now: () => clock });
    restarted.start();
    expect(await restarted.runSchedules()).toBe(0);
    await restarted.whenQuiescent();
    expect(consumer.received.map((event) => event.time)).toEqual(['2025-03-01T11:00:00Z', '2025-03-01T15:00:00Z']);
  });

  it('a rate rule counts from its creation; a disabled rule does not fire and owes nothing when enabled', async () => {
    clock = Date.parse('2025-03-01T10:00:30Z');
    const bus = await fixture.open({ now: () => clock });
    bus.start();
    const client = await serve(bus);
    await client.send(new PutRuleCommand({ Name: 'every5', ScheduleExpression: 'rate(5 minutes)' }));
    await client.send(new PutTargetsCommand({ Rule: 'every5', Targets: [{ Id: 'http', Arn: consumer.url }] }));
    await bus.runSchedules();
    expect(await advanceTo(bus, '2025-03-01T10:05:30Z')).toBe(1);
    await client.send(new DisableRuleCommand({ Name: 'every5' }));
    expect(await advanceTo(bus, '2025-03-01T10:20:30Z')).toBe(0);
    await client.send(new EnableRuleCommand({ Name: 'every5' }));
    expect(await advanceTo(bus, '2025-03-01T10:21:00Z')).toBe(0);
    expect(await advanceTo(bus, '2025-03-01T10:25:30Z')).toBe(1);
    expect(consumer.received.map((event) => event.time)).toEqual(['2025-03-01T10:05:30Z', '2025-03-01T10:25:30Z']);
  });

  it('refuses invalid expressions and schedules on custom buses, with EventBridge messages', async () => {
    const bus = await fixture.open({ now: () => clock });
    const client = await serve(bus);
    await expect(client.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'cron(INVALID)' }))).rejects.toMatchObject({ name: 'ValidationException', message: 'Parameter ScheduleExpression is not valid.' });
    await expect(client.send(new PutRuleCommand({ Name: 'bad', EventBusName: 'tributary', ScheduleExpression: 'rate(1 hour)' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'ScheduleExpression is supported only on the default event bus.',
    });
  });
});
