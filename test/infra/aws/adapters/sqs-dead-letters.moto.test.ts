import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { ruleTable } from '../../../../events/rules';
import { StageId } from '../../../../events/stage-ids';
import { RedriveRefusedError } from '../../../../infra/aws/adapters/queue-redrive';
import { awsOperations } from '../../../../infra/aws/aws-operations';
import { deliveryQueueName } from '../../../../infra/aws/lambda/delivery-routes';
import { MOTO_ACCOUNT, MOTO_REGION, describeOnMoto } from '../moto/moto-server';

const PREFIX = 'tributary';
const rows = ruleTable({ busName: PREFIX, rawBucket: `${PREFIX}-raw`, resourcePrefix: PREFIX, athenaWorkgroup: PREFIX });
const refine = rows.find((r) => r.target === StageId.Refine);
/** The rule's target: its delivery queue, which the stage function consumes. */
const deliveries = deliveryQueueName(`${PREFIX}-${refine?.id ?? ''}`);
const deliveriesArn = `arn:aws:sqs:${MOTO_REGION}:${MOTO_ACCOUNT}:${deliveries}`;
const ruleArn = `arn:aws:events:${MOTO_REGION}:${MOTO_ACCOUNT}:rule/${PREFIX}/${PREFIX}-${refine?.id ?? ''}`;
/** An event as EventBridge wrote it into the DLQ, with formatting a re-serialisation would change. */
const body = (n: number): string => `{"version":"0","id":"ev-${n}","detail-type":"TableCrawled","source":"tributary.pipeline","account":"${MOTO_ACCOUNT}","time":"2026-01-05T00:00:00Z","region":"${MOTO_REGION}","resources":[],"detail":{"runId":"r${n}","rows":1.0}}`;
const attributes = (n: number) => ({ RULE_ARN: ruleArn, TARGET_ARN: deliveriesArn, ERROR_CODE: 'TIMEOUT', ERROR_MESSAGE: `timed out ${n}`, EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts', RETRY_ATTEMPTS: '8' });

/**
 * The dead-letter adapters over the wire: SqsDeadLetters (list, discard, redrive) on moto's SQS, and
 * QueueRedrive checking the rule's targets with ListTargetsByRule on moto's EventBridge and sending
 * the event back to the rule's delivery queue. moto does not dead-letter EventBridge deliveries
 * itself, so the test sends the messages as EventBridge documents them (the event as body, RULE_ARN …
 * as message attributes).
 */
describeOnMoto('SQS dead letters and their redrive over the wire (moto server)', (moto) => {
  let sqs: SQSClient;
  let events: EventBridgeClient;
  let deliveriesUrl: string;
  let dlqUrl: string;
  const dlq = refine?.deadLetterQueue ?? '';

  beforeEach(async () => {
    await moto().reset();
    sqs = new SQSClient(moto().clientConfig);
    events = new EventBridgeClient(moto().clientConfig);
    deliveriesUrl = (await sqs.send(new CreateQueueCommand({ QueueName: deliveries }))).QueueUrl ?? '';
    dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: dlq }))).QueueUrl ?? '';
    await events.send(new CreateEventBusCommand({ Name: PREFIX }));
    await events.send(new PutRuleCommand({ Name: `${PREFIX}-${refine?.id ?? ''}`, EventBusName: PREFIX, EventPattern: JSON.stringify(refine?.pattern) }));
    await events.send(new PutTargetsCommand({ Rule: `${PREFIX}-${refine?.id ?? ''}`, EventBusName: PREFIX, Targets: [{ Id: 'stage', Arn: deliveriesArn, DeadLetterConfig: { Arn: `arn:aws:sqs:${MOTO_REGION}:${MOTO_ACCOUNT}:${dlq}` } }] }));
  });
  afterEach(() => {
    for (const client of [sqs, events]) client.destroy();
  });

  async function deadLetter(n: number): Promise<string> {
    const MessageAttributes = Object.fromEntries(Object.entries(attributes(n)).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]));
    return (await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: body(n), MessageAttributes }))).MessageId ?? '';
  }
  const visible = async (): Promise<number> => Number((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes?.ApproximateNumberOfMessages);

  it('lists every message with its event and EventBridge attributes without consuming any, and discards one by id', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 23; i += 1) ids.push(await deadLetter(i));
    const { deadLetters } = awsOperations(PREFIX, { sqs, eventBridge: events });
    const letters = await deadLetters.list(dlq);
    expect(letters.map((l) => l.messageId).sort()).toEqual([...ids].sort());
    expect(letters.find((l) => l.messageId === ids[3])).toMatchObject({ queue: dlq, event: JSON.parse(body(3)), attributes: attributes(3), sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(await visible()).toBe(23);
    expect(await deadLetters.discard(dlq, ids[0] ?? '')).toBe(true);
    expect(await deadLetters.discard(dlq, ids[0] ?? '')).toBe(false);
    expect(await visible()).toBe(22);
  });

  it('redrives a message to the delivery queue its rule still lists (ListTargetsByRule), byte for byte, deletes it once SQS accepted it, and keeps the others', async () => {
    const id = await deadLetter(1);
    const other = await deadLetter(2);
    const { redrive, deadLetters } = awsOperations(PREFIX, { sqs, eventBridge: events });
    await redrive.redrive(dlq, id);
    expect((await deadLetters.list(dlq)).map((l) => l.messageId)).toEqual([other]);
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: deliveriesUrl, MaxNumberOfMessages: 10 }));
    expect(Messages.map((m) => m.Body)).toEqual([body(1)]);
  });

  it('refuses, and keeps, a message whose target the rule no longer lists', async () => {
    const id = await deadLetter(1);
    await events.send(new RemoveTargetsCommand({ Rule: `${PREFIX}-${refine?.id ?? ''}`, EventBusName: PREFIX, Ids: ['stage'] }));
    const { redrive } = awsOperations(PREFIX, { sqs, eventBridge: events });
    const error: unknown = await redrive.redrive(dlq, id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedriveRefusedError);
    expect(error).toMatchObject({ retryable: false, message: expect.stringMatching(/no longer a target of rule/) });
    expect(await visible()).toBe(1);
  });
});
