import {
  CreateArchiveCommand,
  DeleteRuleCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListArchivesCommand,
  ListRulesCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceNotFoundException,
  InvalidEventPatternException,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import * as http from 'node:http';
import { EventBridgeEndpoint } from '../../../../infra/emulators/bus/eventbridge-endpoint';
import type { LocalEventBus } from '../../../../infra/emulators/bus/local-event-bus';
import { BusFixture, startConsumer, type Consumer } from './bus-test-helpers';
import { allowViolations } from '../../aws/api-model/violation-log';

// The endpoint must refuse an 11-entry PutEvents itself: the request breaks the model on purpose.
allowViolations(/^EventBridge PutEvents request breaks the AWS API model: Entries size 11 is above the maximum 10$/);

const BUS_ARN = 'arn:aws:events:us-east-1:000000000000:event-bus/tributary';

describe('EventBridge endpoint with the unmodified AWS SDK client', () => {
  const fixture = new BusFixture();
  const endpoints: EventBridgeEndpoint[] = [];
  let consumer: Consumer;

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

  it('publishes, delivers to an HTTP consumer subscribed by rule, archives and replays, and keeps it all across a restart', async () => {
    const home = await fixture.home();
    const bus = await fixture.open({ home });
    bus.start();
    const client = await serve(bus);

    const { RuleArn } = await client.send(new PutRuleCommand({ Name: 'consumer', EventBusName: 'tributary', EventPattern: JSON.stringify({ source: ['shop'] }) }));
    expect(RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/tributary/consumer');
    await client.send(new PutTargetsCommand({ Rule: 'consumer', EventBusName: 'tributary', Targets: [{ Id: 'http', Arn: consumer.url, RetryPolicy: { MaximumRetryAttempts: 2 } }] }));
    const archive = await client.send(new CreateArchiveCommand({ ArchiveName: 'shop', EventSourceArn: BUS_ARN, RetentionDays: 0 }));
    expect(archive.ArchiveArn).toBe('arn:aws:events:us-east-1:000000000000:archive/shop');

    const time = new Date('2025-06-01T12:00:00Z');
    const put = await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'shop', DetailType: 'Order Placed', Detail: '{"order":1}', EventBusName: 'tributary', Time: time },
          { Source: 'shop', DetailType: 'Order Placed', Detail: '[]', EventBusName: 'tributary' },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(1);
    expect(put.Entries?.[1]).toMatchObject({ ErrorCode: 'MalformedDetail' });
    const id = put.Entries?.[0]?.EventId;
    await bus.whenQuiescent();
    expect(consumer.received).toEqual([
      { version: '0', id, 'detail-type': 'Order Placed', source: 'shop', account: '000000000000', time: '2025-06-01T12:00:00Z', region: 'us-east-1', resources: [], detail: { order: 1 } },
    ]);

    const replay = await client.send(
      new StartReplayCommand({ ReplayName: 'again', EventSourceArn: archive.ArchiveArn, EventStartTime: new Date('2025-06-01T00:00:00Z'), EventEndTime: new Date('2025-06-02T00:00:00Z'), Destination: { Arn: BUS_ARN } }),
    );
    expect(replay.State).toBe('STARTING');
    expect(replay.ReplayStartTime).toBeInstanceOf(Date);
    let state: string | undefined;
    for (let i = 0; i < 1000 && state !== 'COMPLETED'; i++) {
      state = (await client.send(new DescribeReplayCommand({ ReplayName: 'again' }))).State;
      if (state !== 'COMPLETED') await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(state).toBe('COMPLETED');
    await bus.whenQuiescent();
    expect(consumer.received.map((event) => [event.id, event['replay-name']])).toEqual([
      [id, undefined],
      [id, 'again'],
    ]);
    expect((await client.send(new DescribeArchiveCommand({ ArchiveName: 'shop' }))).EventCount).toBe(1);

    await bus.close();
    await endpoints.splice(0)[0]?.close();
    const restarted = await fixture.open({ home });
    restarted.start();
    const client2 = await serve(restarted);
    expect((await client2.send(new ListRulesCommand({ EventBusName: 'tributary' }))).Rules?.map((rule) => rule.Arn)).toEqual([RuleArn]);
    expect((await client2.send(new ListArchivesCommand({}))).Archives?.map((a) => [a.ArchiveName, a.EventCount])).toEqual([['shop', 1]]);
    await client2.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'Order Placed', Detail: '{"order":2}', EventBusName: BUS_ARN }] }));
    await restarted.whenQuiescent();
    expect(consumer.received.map((event) => event.detail)).toEqual([{ order: 1 }, { order: 1 }, { order: 2 }]);
  });

  it('answers errors with the AWS exception types the SDK raises', async () => {
    const bus = await fixture.open();
    const client = await serve(bus);
    await expect(client.send(new PutRuleCommand({ Name: 'bad', EventBusName: 'tributary', EventPattern: '{"source":"x"}' }))).rejects.toBeInstanceOf(InvalidEventPatternException);
    await expect(client.send(new DescribeRuleCommand({ Name: 'ghost', EventBusName: 'tributary' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'd', Detail: '{}' })) }))).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
    await client.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source":["s"]}' }));
    await client.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 't', Arn: consumer.url }] }));
    expect((await client.send(new RemoveTargetsCommand({ Rule: 'r', Ids: ['t'] }))).FailedEntryCount).toBe(0);
    await client.send(new DeleteRuleCommand({ Name: 'r' }));
    expect((await client.send(new ListRulesCommand({}))).Rules).toEqual([]);
  });

  it('answers only loopback Hosts: a DNS-rebinding Host gets 403 and nothing reaches the bus', async () => {
    const bus = await fixture.open();
    bus.start();
    const client = await serve(bus);
    await client.send(new PutRuleCommand({ Name: 'all', EventBusName: 'tributary', EventPattern: '{"source":["shop"]}' }));
    await client.send(new PutTargetsCommand({ Rule: 'all', EventBusName: 'tributary', Targets: [{ Id: 'http', Arn: consumer.url }] }));
    const port = endpoints[0]?.port ?? 0;
    const post = (host: string): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const body = JSON.stringify({ Entries: [{ Source: 'shop', DetailType: 'Order Placed', Detail: '{}', EventBusName: 'tributary' }] });
        const request = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { host, 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' } }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        });
        request.on('error', reject);
        request.end(body);
      });
    const rebound = await post(`attacker.example:${port}`);
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toEqual({ __type: 'AccessDeniedException', message: expect.stringMatching(/^Host "attacker\.example:\d+" is not a loopback name or address/) });
    for (const host of [`localhost:${port}`, `[::1]:${port}`, `127.0.0.2:${port}`]) expect((await post(host)).status).toBe(200);
    await bus.whenQuiescent();
    expect(consumer.received).toHaveLength(3);
  });

  it('fails to start with one clear error naming the port when the port is taken', async () => {
    const bus = await fixture.open();
    const first = await EventBridgeEndpoint.start(bus, 0);
    endpoints.push(first);
    await expect(EventBridgeEndpoint.start(bus, first.port)).rejects.toThrow(`port ${first.port} on 127.0.0.1 is already in use (another \`tributary up\` or emulator?); choose another with --port N or TRIBUTARY_PORT=N (0 picks a free one)`);
  });
});
