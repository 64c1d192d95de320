import {
  CancelReplayCommand,
  CreateArchiveCommand,
  CreateEventBusCommand,
  DeleteArchiveCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeArchiveCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  IllegalStatusException,
  InvalidEventPatternException,
  ListArchivesCommand,
  ListEventBusesCommand,
  ListReplaysCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  ManagedRuleException,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  StartReplayCommand,
  TagResourceCommand,
  TestEventPatternCommand,
  UntagResourceCommand,
  UpdateArchiveCommand,
} from '@aws-sdk/client-eventbridge';
import { EventBridgeEndpoint } from '../../../../infra/emulators/bus/eventbridge-endpoint';
import { PIPELINE_MANAGER, installTopology } from '../../../../infra/emulators/bus/install-topology';
import type { LocalEventBus } from '../../../../infra/emulators/bus/local-event-bus';
import { ruleTable } from '../../../../events/rules';
import { localTopologyNames } from '../../../../events/topology-names';
import { BusFixture, startConsumer, type Consumer } from './bus-test-helpers';

const ACCOUNT_ARN = 'arn:aws:events:us-east-1:000000000000';

describe('EventBridge operations through the unmodified SDK client', () => {
  const fixture = new BusFixture();
  let bus: LocalEventBus;
  let endpoint: EventBridgeEndpoint;
  let client: EventBridgeClient;
  let consumer: Consumer;

  beforeAll(async () => {
    bus = await fixture.open();
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

  async function consumerRule(name: string, bus = 'default'): Promise<void> {
    await client.send(new PutRuleCommand({ Name: name, EventBusName: bus, EventPattern: JSON.stringify({ source: [name] }) }));
    await client.send(new PutTargetsCommand({ Rule: name, EventBusName: bus, Targets: [{ Id: 'http', Arn: consumer.url }] }));
  }

  it('EnableRule and DisableRule switch delivery off and on', async () => {
    await consumerRule('toggle');
    await client.send(new DisableRuleCommand({ Name: 'toggle' }));
    expect((await client.send(new DescribeRuleCommand({ Name: 'toggle' }))).State).toBe('DISABLED');
    await client.send(new PutEventsCommand({ Entries: [{ Source: 'toggle', DetailType: 'T', Detail: '{"n":1}' }] }));
    await client.send(new EnableRuleCommand({ Name: 'toggle' }));
    await client.send(new PutEventsCommand({ Entries: [{ Source: 'toggle', DetailType: 'T', Detail: '{"n":2}' }] }));
    await bus.whenQuiescent();
    expect(consumer.received.filter((event) => event.source === 'toggle').map((event) => event.detail)).toEqual([{ n: 2 }]);
    await expect(client.send(new EnableRuleCommand({ Name: 'ghost' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Rule ghost does not exist on EventBus default.' });
  });

  it('TestEventPattern answers with the bus engine and EventBridge errors', async () => {
    const event = '{"id":"1","account":"123456789012","source":"shop","time":"2025-01-01T00:00:00Z","region":"us-east-1","detail-type":"x","resources":[],"detail":{"big":9007199254740993}}';
    expect((await client.send(new TestEventPatternCommand({ Event: event, EventPattern: '{"source":["shop"]}' }))).Result).toBe(true);
    expect((await client.send(new TestEventPatternCommand({ Event: event, EventPattern: '{"detail":{"big":[9007199254740992]}}' }))).Result).toBe(false);
    await expect(client.send(new TestEventPatternCommand({ Event: '"plain string"', EventPattern: '{"source":["shop"]}' }))).rejects.toMatchObject({ name: 'ValidationException', message: 'Parameter Event is not valid.' });
    const invalid = client.send(new TestEventPatternCommand({ Event: event, EventPattern: "{'bad': 'quotation'}" }));
    await expect(invalid).rejects.toBeInstanceOf(InvalidEventPatternException);
    await expect(invalid).rejects.toMatchObject({
      message: "Event pattern is not valid. Reason: Unexpected character (''' (code 39)): was expecting double-quote to start field name\n at [Source: (String)\"{'bad': 'quotation'}\"; line: 1, column: 2]",
    });
  });

  it('PutEvents matches integers beyond double precision exactly, as EventBridge does', async () => {
    await client.send(new PutRuleCommand({ Name: 'exact', EventPattern: '{"source":["big"],"detail":{"n":[9007199254740993]}}' }));
    await client.send(new PutTargetsCommand({ Rule: 'exact', Targets: [{ Id: 'http', Arn: consumer.url, InputPath: '$.id' }] }));
    const put = await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'big', DetailType: 'T', Detail: '{"n":9007199254740992}' },
          { Source: 'big', DetailType: 'T', Detail: '{"n":9007199254740993}' },
        ],
      }),
    );
    await bus.whenQuiescent();
    expect(consumer.bodies.filter((body) => put.Entries?.some((entry) => body === JSON.stringify(entry.EventId)))).toEqual([JSON.stringify(put.Entries?.[1]?.EventId)]);
  });

  it('ListRules pages with Limit and NextToken and filters by NamePrefix', async () => {
    for (const name of ['page-a', 'page-b', 'page-c', 'other']) await client.send(new PutRuleCommand({ Name: name, EventBusName: 'tributary', EventPattern: '{"source":["p"]}' }));
    const first = await client.send(new ListRulesCommand({ EventBusName: 'tributary', NamePrefix: 'page-', Limit: 2 }));
    expect(first.Rules?.map((rule) => rule.Name)).toEqual(['page-a', 'page-b']);
    const second = await client.send(new ListRulesCommand({ EventBusName: 'tributary', NamePrefix: 'page-', Limit: 2, NextToken: first.NextToken }));
    expect(second.Rules?.map((rule) => rule.Name)).toEqual(['page-c']);
    expect(second.NextToken).toBeUndefined();
    await expect(client.send(new ListRulesCommand({ EventBusName: 'tributary', NextToken: 'bm90IGEgdG9rZW4' }))).rejects.toMatchObject({ name: 'ValidationException', message: 'The NextToken provided is invalid.' });
  });

  it('ListTargetsByRule pages and shows each target input option', async () => {
    await client.send(new PutRuleCommand({ Name: 'many', EventPattern: '{"source":["m"]}' }));
    await client.send(
      new PutTargetsCommand({
        Rule: 'many',
        Targets: [
          { Id: 't1', Arn: consumer.url, Input: '{"fixed":true}' },
          { Id: 't2', Arn: consumer.url, InputPath: '$.detail' },
          { Id: 't3', Arn: consumer.url, InputTransformer: { InputPathsMap: { s: '$.source' }, InputTemplate: '"<s>"' } },
        ],
      }),
    );
    const first = await client.send(new ListTargetsByRuleCommand({ Rule: 'many', Limit: 2 }));
    expect(first.Targets?.map((target) => [target.Id, target.Input ?? target.InputPath])).toEqual([
      ['t1', '{"fixed":true}'],
      ['t2', '$.detail'],
    ]);
    const second = await client.send(new ListTargetsByRuleCommand({ Rule: 'many', Limit: 2, NextToken: first.NextToken }));
    expect(second.Targets?.map((target) => target.InputTransformer)).toEqual([{ InputPathsMap: { s: '$.source' }, InputTemplate: '"<s>"' }]);
  });

  it('CreateEventBus, DescribeEventBus, ListEventBuses: a custom bus with its own rules and archives', async () => {
    const created = await client.send(new CreateEventBusCommand({ Name: 'orders', Description: 'team bus', Tags: [{ Key: 'team', Value: 'shop' }] }));
    expect(created.EventBusArn).toBe(`${ACCOUNT_ARN}:event-bus/orders`);
    await expect(client.send(new CreateEventBusCommand({ Name: 'orders' }))).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException', message: 'Event bus orders already exists.' });
    const described = await client.send(new DescribeEventBusCommand({ Name: 'orders' }));
    expect(described).toMatchObject({ Name: 'orders', Arn: created.EventBusArn, Description: 'team bus' });
    expect(described.CreationTime).toBeInstanceOf(Date);
    await expect(client.send(new DescribeEventBusCommand({ Name: 'nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Event bus nope does not exist.' });
    const page = await client.send(new ListEventBusesCommand({ Limit: 2 }));
    expect(page.EventBuses?.map((b) => b.Name)).toEqual(['default', 'orders']);
    expect((await client.send(new ListEventBusesCommand({ Limit: 2, NextToken: page.NextToken }))).EventBuses?.map((b) => b.Name)).toEqual(['tributary']);

    await consumerRule('on-orders', 'orders');
    await client.send(new CreateArchiveCommand({ ArchiveName: 'orders-archive', EventSourceArn: created.EventBusArn }));
    await client.send(new PutEventsCommand({ Entries: [{ Source: 'on-orders', DetailType: 'T', Detail: '{}', EventBusName: 'orders' }] }));
    await bus.whenQuiescent();
    expect(consumer.received.filter((event) => event.source === 'on-orders')).toHaveLength(1);
    expect((await client.send(new DescribeArchiveCommand({ ArchiveName: 'orders-archive' }))).EventCount).toBe(1);
  });

  it('DeleteEventBus removes a custom bus and its rules, never default', async () => {
    await client.send(new CreateEventBusCommand({ Name: 'scratch' }));
    await client.send(new PutRuleCommand({ Name: 'r', EventBusName: 'scratch', EventPattern: '{"source":["s"]}' }));
    await client.send(new DeleteEventBusCommand({ Name: 'scratch' }));
    await expect(client.send(new ListRulesCommand({ EventBusName: 'scratch' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new DeleteEventBusCommand({ Name: 'default' }))).rejects.toMatchObject({ name: 'ValidationException', message: 'Cannot delete event bus default.' });
  });

  it('TagResource, UntagResource and ListTagsForResource on rules and buses', async () => {
    const { RuleArn } = await client.send(new PutRuleCommand({ Name: 'tagged', EventPattern: '{"source":["t"]}', Tags: [{ Key: 'a', Value: '1' }] }));
    await client.send(new TagResourceCommand({ ResourceARN: RuleArn, Tags: [{ Key: 'b', Value: '2' }] }));
    await client.send(new UntagResourceCommand({ ResourceARN: RuleArn, TagKeys: ['a'] }));
    expect((await client.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn }))).Tags).toEqual([{ Key: 'b', Value: '2' }]);
    const busArn = `${ACCOUNT_ARN}:event-bus/tributary`;
    await client.send(new TagResourceCommand({ ResourceARN: busArn, Tags: [{ Key: 'env', Value: 'local' }] }));
    expect((await client.send(new ListTagsForResourceCommand({ ResourceARN: busArn }))).Tags).toEqual([{ Key: 'env', Value: 'local' }]);
    await expect(client.send(new ListTagsForResourceCommand({ ResourceARN: `${ACCOUNT_ARN}:rule/ghost` }))).rejects.toMatchObject({ message: 'Rule ghost does not exist on EventBus default.' });
  });

  it('UpdateArchive and DeleteArchive, with ListArchives paging', async () => {
    const source = `${ACCOUNT_ARN}:event-bus/tributary`;
    for (const name of ['arc-1', 'arc-2', 'arc-3']) await client.send(new CreateArchiveCommand({ ArchiveName: name, EventSourceArn: source }));
    await expect(client.send(new UpdateArchiveCommand({ ArchiveName: 'arc-1' }))).rejects.toMatchObject({ message: 'At least one of EventPattern, RetentionDays or Description must be provided.' });
    await client.send(new UpdateArchiveCommand({ ArchiveName: 'arc-1', RetentionDays: 7, Description: 'week', EventPattern: '{"source":["kept"]}' }));
    expect(await client.send(new DescribeArchiveCommand({ ArchiveName: 'arc-1' }))).toMatchObject({ RetentionDays: 7, Description: 'week', EventPattern: '{"source":["kept"]}' });
    const first = await client.send(new ListArchivesCommand({ NamePrefix: 'arc-', Limit: 2 }));
    expect(first.Archives?.map((a) => a.ArchiveName)).toEqual(['arc-1', 'arc-2']);
    expect((await client.send(new ListArchivesCommand({ NamePrefix: 'arc-', Limit: 2, NextToken: first.NextToken }))).Archives?.map((a) => a.ArchiveName)).toEqual(['arc-3']);
    await client.send(new DeleteArchiveCommand({ ArchiveName: 'arc-2' }));
    await expect(client.send(new DescribeArchiveCommand({ ArchiveName: 'arc-2' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Archive arc-2 does not exist.' });
    await expect(client.send(new DeleteArchiveCommand({ ArchiveName: 'arc-2' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('ListReplays pages and filters; CancelReplay refuses a finished replay', async () => {
    const archiveArn = `${ACCOUNT_ARN}:archive/arc-1`;
    const window = { EventStartTime: new Date('2020-01-01T00:00:00Z'), EventEndTime: new Date('2030-01-01T00:00:00Z'), Destination: { Arn: `${ACCOUNT_ARN}:event-bus/tributary` } };
    for (const name of ['rp-1', 'rp-2']) {
      await client.send(new StartReplayCommand({ ReplayName: name, EventSourceArn: archiveArn, ...window }));
      await bus.whenQuiescent();
    }
    await expect(client.send(new StartReplayCommand({ ReplayName: 'rp-1', EventSourceArn: archiveArn, ...window }))).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
    const first = await client.send(new ListReplaysCommand({ NamePrefix: 'rp-', Limit: 1 }));
    expect(first.Replays?.map((r) => [r.ReplayName, r.State])).toEqual([['rp-1', 'COMPLETED']]);
    expect((await client.send(new ListReplaysCommand({ NamePrefix: 'rp-', Limit: 1, NextToken: first.NextToken }))).Replays?.map((r) => r.ReplayName)).toEqual(['rp-2']);
    await expect(client.send(new CancelReplayCommand({ ReplayName: 'rp-1' }))).rejects.toBeInstanceOf(IllegalStatusException);
    await expect(client.send(new CancelReplayCommand({ ReplayName: 'ghost' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Replay ghost does not exist.' });
  });

  it('CancelReplay stops a replay that has not finished: CANCELLING, then CANCELLED, nothing re-sent', async () => {
    const idle = await fixture.open();
    const idleEndpoint = await EventBridgeEndpoint.start(idle, 0);
    const idleClient = new EventBridgeClient({ endpoint: idleEndpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    try {
      const source = `${ACCOUNT_ARN}:event-bus/tributary`;
      await idleClient.send(new CreateArchiveCommand({ ArchiveName: 'a', EventSourceArn: source }));
      await idleClient.send(new PutRuleCommand({ Name: 'r', EventBusName: 'tributary', EventPattern: '{"source":["again"]}' }));
      await idleClient.send(new PutTargetsCommand({ Rule: 'r', EventBusName: 'tributary', Targets: [{ Id: 'http', Arn: consumer.url }] }));
      await idleClient.send(new PutEventsCommand({ Entries: [{ Source: 'again', DetailType: 'T', Detail: '{}', EventBusName: 'tributary', Time: new Date('2025-01-01T00:00:00Z') }] }));
      // The bus is not started yet, so the replay waits in STARTING and can be cancelled deterministically.
      await idleClient.send(new StartReplayCommand({ ReplayName: 'stop-me', EventSourceArn: `${ACCOUNT_ARN}:archive/a`, EventStartTime: new Date('2024-01-01T00:00:00Z'), EventEndTime: new Date('2026-01-01T00:00:00Z'), Destination: { Arn: source } }));
      expect(await idleClient.send(new CancelReplayCommand({ ReplayName: 'stop-me' }))).toMatchObject({ ReplayArn: `${ACCOUNT_ARN}:replay/stop-me`, State: 'CANCELLING' });
      idle.start();
      await idle.whenQuiescent();
      expect((await idleClient.send(new ListReplaysCommand({ NamePrefix: 'stop' }))).Replays?.map((r) => r.State)).toEqual(['CANCELLED']);
      expect(consumer.received.filter((event) => event.source === 'again').map((event) => event['replay-name'])).toEqual([undefined]);
    } finally {
      idleClient.destroy();
      await idleEndpoint.close();
    }
  });

  it('the pipeline rules are listed as ManagedBy and refuse changes without Force', async () => {
    await installTopology(bus, ruleTable(localTopologyNames));
    const [row] = ruleTable(localTopologyNames);
    const name = row?.id ?? '';
    const listed = (await client.send(new ListRulesCommand({ EventBusName: 'tributary', NamePrefix: name }))).Rules ?? [];
    expect(listed.find((rule) => rule.Name === name)?.ManagedBy).toBe(PIPELINE_MANAGER);
    expect((await client.send(new ListRulesCommand({ EventBusName: 'tributary', NamePrefix: 'page-' }))).Rules?.every((rule) => rule.ManagedBy === undefined)).toBe(true);
    const managed = { name: 'ManagedRuleException' };
    await expect(client.send(new DeleteRuleCommand({ Name: name, EventBusName: 'tributary' }))).rejects.toBeInstanceOf(ManagedRuleException);
    await expect(client.send(new DeleteRuleCommand({ Name: name, EventBusName: 'tributary' }))).rejects.toMatchObject({ message: `${name} is a managed rule. Set 'force' parameter to true to override.` });
    await expect(client.send(new RemoveTargetsCommand({ Rule: name, EventBusName: 'tributary', Ids: [row?.target ?? ''] }))).rejects.toMatchObject(managed);
    await expect(client.send(new PutRuleCommand({ Name: name, EventBusName: 'tributary', EventPattern: '{"source":["hijack"]}' }))).rejects.toMatchObject(managed);
    await expect(client.send(new PutTargetsCommand({ Rule: name, EventBusName: 'tributary', Targets: [{ Id: 'x', Arn: consumer.url }] }))).rejects.toMatchObject(managed);
    await expect(client.send(new DisableRuleCommand({ Name: name, EventBusName: 'tributary' }))).rejects.toMatchObject(managed);
    await expect(client.send(new TagResourceCommand({ ResourceARN: `${ACCOUNT_ARN}:rule/tributary/${name}`, Tags: [{ Key: 'k', Value: 'v' }] }))).rejects.toMatchObject(managed);
    expect((await client.send(new DescribeRuleCommand({ Name: name, EventBusName: 'tributary' }))).EventPattern).toBe(JSON.stringify(row?.pattern));
  });
});
