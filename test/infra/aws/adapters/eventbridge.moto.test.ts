import { CreateArchiveCommand, CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { EventBridgeTransport } from '../../../../events/eventbridge-transport';
import { EventBridgeReplays } from '../../../../infra/aws/adapters/eventbridge-replays';
import { publisherContract } from '../../../handlers/ports/publisher.contract';
import { MOTO_ACCOUNT, MOTO_REGION, describeOnMoto } from '../moto/moto-server';
import { allowViolations } from '../api-model/violation-log';

// The transport contract sends an 11-entry PutEvents on purpose: the service must refuse it.
allowViolations(/^EventBridge PutEvents request breaks the AWS API model: Entries size 11 is above the maximum 10$/);

const BUS = 'tributary';
const busArn = `arn:aws:events:${MOTO_REGION}:${MOTO_ACCOUNT}:event-bus/${BUS}`;

/**
 * EventBridge over the wire: the publisher contract (PutEvents through EventBridgeTransport) against
 * moto's EventBridge, reading what the bus accepted from an SQS queue a catch-all rule targets, and
 * the replay adapter on a real archive of that bus. moto 5.2.1 departs from EventBridge's documentation
 * in three ways the contract catches (targets get no `account`; a Detail that is JSON but not an object
 * is accepted; a request over 256 KB is accepted); `serve.py` corrects them, so the contract asserts
 * what EventBridge documents.
 */
describeOnMoto('EventBridge adapters over the wire (moto server)', (moto) => {
  async function bus(): Promise<{ events: EventBridgeClient; sqs: SQSClient; accepted: () => Promise<unknown[]> }> {
    await moto().reset();
    const events = new EventBridgeClient(moto().clientConfig);
    const sqs = new SQSClient(moto().clientConfig);
    await events.send(new CreateEventBusCommand({ Name: BUS }));
    const QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'everything' }))).QueueUrl ?? '';
    await events.send(new PutRuleCommand({ Name: 'everything', EventBusName: BUS, EventPattern: JSON.stringify({ source: ['test.contract', 'tributary.pipeline'] }) }));
    await events.send(new PutTargetsCommand({ Rule: 'everything', EventBusName: BUS, Targets: [{ Id: 'q', Arn: `arn:aws:sqs:${MOTO_REGION}:${MOTO_ACCOUNT}:everything` }] }));
    const seen: unknown[] = [];
    const accepted = async (): Promise<unknown[]> => {
      for (;;) {
        const messages = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }))).Messages ?? [];
        if (messages.length === 0) return seen;
        for (const m of messages) seen.push(JSON.parse(m.Body ?? ''));
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }));
      }
    };
    return { events, sqs, accepted };
  }

  publisherContract(
    'EventBridgeTransport on moto',
    async () => {
      const { events, sqs, accepted } = await bus();
      return {
        transport: new EventBridgeTransport(events),
        eventBusName: BUS,
        maxRequestBytes: 256 * 1024,
        accepted,
        failNextEntries: () => undefined,
        close: async () => {
          events.destroy();
          sqs.destroy();
        },
      };
    },
    { skipEntryFailures: 'moto cannot be made to fail single PutEvents entries with a retryable code' },
  );

  it('replays an archived window of the bus to its rules, and passes EventBridge refusals on', async () => {
    const { events, sqs, accepted } = await bus();
    const archiveArn = (await events.send(new CreateArchiveCommand({ ArchiveName: 'tributary-archive', EventSourceArn: busArn }))).ArchiveArn ?? '';
    await new EventBridgeTransport(events).putEvents([{ Source: 'test.contract', DetailType: 'Archived', Detail: '{"n":1}', EventBusName: BUS }]);
    expect(await accepted()).toHaveLength(1);
    const replays = new EventBridgeReplays(events);
    expect(await replays.describeArchive('tributary-archive')).toEqual({ ArchiveArn: archiveArn, EventSourceArn: busArn });
    const ruleArn = await replays.ruleArn(BUS, 'everything');
    expect(ruleArn).toBe(`arn:aws:events:${MOTO_REGION}:${MOTO_ACCOUNT}:rule/${BUS}/everything`);
    const window = { EventStartTime: new Date(Date.now() - 3_600_000), EventEndTime: new Date(Date.now() + 1_000) };
    const started = await replays.startReplay({ ReplayName: 'backfill-1', EventSourceArn: archiveArn, ...window, Destination: { Arn: busArn, FilterArns: [ruleArn] } });
    expect(started.ReplayArn).toBe(`arn:aws:events:${MOTO_REGION}:${MOTO_ACCOUNT}:replay/backfill-1`);
    expect((await replays.describeReplay('backfill-1')).State).toBe('COMPLETED');
    const replayed = await accepted();
    expect(replayed).toHaveLength(2);
    expect(replayed[1]).toMatchObject({ 'detail-type': 'Archived', detail: { n: 1 } });
    await expect(replays.startReplay({ ReplayName: 'backfill-1', EventSourceArn: archiveArn, ...window, Destination: { Arn: busArn } })).rejects.toMatchObject({ code: 'ResourceAlreadyExistsException', retryable: false });
    await expect(replays.describeArchive('other')).rejects.toMatchObject({ code: 'ResourceNotFoundException', retryable: false });
    events.destroy();
    sqs.destroy();
  });
});
