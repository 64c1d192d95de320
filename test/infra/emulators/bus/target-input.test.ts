import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { EventBridgeEndpoint } from '../../../../infra/emulators/bus/eventbridge-endpoint';
import type { LocalEventBus } from '../../../../infra/emulators/bus/local-event-bus';
import { BusFixture, startConsumer, type Consumer } from './bus-test-helpers';
import { allowViolations } from '../../aws/api-model/violation-log';

// PutTargets must be refused by the bus itself: a test sends an InputPathsMap key that breaks the model on purpose.
allowViolations(/^EventBridge PutTargets request breaks the AWS API model: Targets\[0\]\.InputTransformer\.InputPathsMap/);

const RULE_ARN = 'arn:aws:events:us-east-1:000000000000:rule/shaped';
const DETAIL = { command: 'update-account', payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' }, listmulti: ['ACTIVE', 'INACTIVE'], flag: true };

describe('target Input, InputPath and InputTransformer through the unmodified SDK client', () => {
  const fixture = new BusFixture();
  let bus: LocalEventBus;
  let endpoint: EventBridgeEndpoint;
  let client: EventBridgeClient;
  let consumer: Consumer;
  const staged: unknown[] = [];

  beforeAll(async () => {
    bus = await fixture.open();
    bus.registerStageHandler('shaped-stage', (event, input) => {
      staged.push(input ?? event);
    });
    bus.start();
    endpoint = await EventBridgeEndpoint.start(bus, 0);
    client = new EventBridgeClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    consumer = await startConsumer();
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.close();
    await consumer.close();
    await fixture.cleanup();
  });

  /** Subscribes one HTTP target shaped by `shape` to a fresh source, sends DETAIL, returns the body received. */
  async function deliveredBody(source: string, shape: Record<string, unknown>): Promise<string | undefined> {
    await client.send(new PutRuleCommand({ Name: 'shaped', EventPattern: JSON.stringify({ source: [source] }) }));
    await client.send(new PutTargetsCommand({ Rule: 'shaped', Targets: [{ Id: 'http', Arn: consumer.url, ...shape }] }));
    const before = consumer.bodies.length;
    await client.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'core.update-account-command', Detail: JSON.stringify(DETAIL), Time: new Date('2025-01-02T03:04:05Z') }] }));
    await bus.whenQuiescent();
    return consumer.bodies.slice(before).at(0);
  }

  it('Input sends the constant JSON text instead of the event', async () => {
    expect(await deliveredBody('s.input', { Input: '{"fixed": [1, 2]}' })).toBe('{"fixed": [1, 2]}');
  });

  it('InputPath sends the JSON of the selected part, strings quoted', async () => {
    expect(await deliveredBody('s.path', { InputPath: '$.detail.payload' })).toBe('{"acc_id":"0a787ecb-4015","sf_id":"baz"}');
    expect(await deliveredBody('s.path2', { InputPath: '$.detail.payload.sf_id' })).toBe('"baz"');
    expect(await deliveredBody('s.path3', { InputPath: '$.resources' })).toBe('[]');
  });

  it('a JSON template renders values as JSON in value position and as raw text inside strings', async () => {
    const template = '{"id": <id>, "quoted": "<id>", "payload": <payload>, "list": <list>, "flag": <flag>, "text": "p=<payload> l=<list> f=<flag>", "missing": <nothing>, "in": "x<nothing>y"}';
    const body = await deliveredBody('s.json', {
      InputTransformer: { InputPathsMap: { id: '$.detail.payload.acc_id', payload: '$.detail.payload', list: '$.detail.listmulti', flag: '$.detail.flag', nothing: '$.detail.absent' }, InputTemplate: template },
    });
    expect(JSON.parse(body ?? '')).toEqual({
      id: '0a787ecb-4015',
      quoted: '0a787ecb-4015',
      payload: DETAIL.payload,
      list: ['ACTIVE', 'INACTIVE'],
      flag: true,
      text: 'p={acc_id:0a787ecb-4015,sf_id:baz} l=[ACTIVE,INACTIVE] f=true',
      missing: '',
      in: 'xy',
    });
  });

  it('a string template is delivered as its text, quotes included', async () => {
    const body = await deliveredBody('s.string', { InputTransformer: { InputPathsMap: { type: '$.detail-type' }, InputTemplate: '"Event of <type> type"' } });
    expect(body).toBe('"Event of core.update-account-command type"');
  });

  it('the reserved aws.events variables need no mapping', async () => {
    const template = '{"arn": "<aws.events.rule-arn>", "name": "<aws.events.rule-name>", "at": "<aws.events.event.ingestion-time>", "meta": <aws.events.event>, "all": <aws.events.event.json>}';
    const body = JSON.parse((await deliveredBody('s.reserved', { InputTransformer: { InputTemplate: template } })) ?? '{}');
    expect(body).toMatchObject({ arn: RULE_ARN, name: 'shaped', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(Object.keys(body.meta)).toEqual(['id', 'account', 'detailType', 'time', 'source', 'region', 'resources', 'version']);
    expect(body.meta).toMatchObject({ detailType: 'core.update-account-command', time: '2025-01-02T03:04:05Z', source: 's.reserved' });
    expect(body.all).toMatchObject({ source: 's.reserved', detail: DETAIL });
  });

  it('a JSON template that renders invalid JSON is silently not delivered', async () => {
    const body = await deliveredBody('s.invalid', { InputTransformer: { InputPathsMap: { payload: '$.detail.payload' }, InputTemplate: '{"broken": "<payload>" <payload>}' } });
    expect(body).toBeUndefined();
    expect(bus.listDeadLetterQueues()).toEqual([]);
  });

  it('PutTargets validates as EventBridge, with its messages', async () => {
    await client.send(new PutRuleCommand({ Name: 'checks', EventPattern: '{"source":["c"]}' }));
    const put = (shape: Record<string, unknown>) => client.send(new PutTargetsCommand({ Rule: 'checks', Targets: [{ Id: 't1', Arn: consumer.url, ...shape }] }));
    await expect(put({ Input: '{}', InputPath: '$.detail' })).rejects.toMatchObject({ name: 'ValidationException', message: 'Only one of Input, InputPath, or InputTransformer must be provided for target t1.' });
    await expect(put({ InputTransformer: { InputPathsMap: { a: '$.detail' }, InputTemplate: '{"x": <notdefinedkey>}' } })).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'InputTemplate for target t1 contains invalid placeholder notdefinedkey.',
    });
    await expect(put({ Input: 'not json' })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(put({ InputPath: 'detail.payload' })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(put({ InputTransformer: { InputPathsMap: { 'bad key': '$.a' }, InputTemplate: '"x"' } })).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('a stage target receives the shaped input; an event bus target forwards it as the detail', async () => {
    await client.send(new PutRuleCommand({ Name: 'to-stage', EventPattern: '{"source":["s.stage"]}' }));
    await client.send(new PutTargetsCommand({ Rule: 'to-stage', Targets: [{ Id: 'stage', Arn: 'arn:tributary:stage:shaped-stage', InputPath: '$.detail.payload' }] }));
    await client.send(new PutRuleCommand({ Name: 'to-bus', EventPattern: '{"source":["s.bus"]}' }));
    await client.send(
      new PutTargetsCommand({
        Rule: 'to-bus',
        Targets: [{ Id: 'bus', Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/tributary', InputTransformer: { InputPathsMap: { id: '$.detail.payload.sf_id' }, InputTemplate: '{"forwarded": <id>}' } }],
      }),
    );
    await client.send(new PutRuleCommand({ Name: 'after-bus', EventBusName: 'tributary', EventPattern: '{"source":["s.bus"]}' }));
    await client.send(new PutTargetsCommand({ Rule: 'after-bus', EventBusName: 'tributary', Targets: [{ Id: 'http', Arn: consumer.url }] }));
    await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 's.stage', DetailType: 'd', Detail: JSON.stringify(DETAIL) },
          { Source: 's.bus', DetailType: 'd', Detail: JSON.stringify(DETAIL) },
        ],
      }),
    );
    await bus.whenQuiescent();
    expect(staged).toEqual([DETAIL.payload]);
    expect(consumer.received.filter((event) => event.source === 's.bus').map((event) => event.detail)).toEqual([{ forwarded: 'baz' }]);
  });
});
