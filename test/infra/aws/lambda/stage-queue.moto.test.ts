import * as fs from 'node:fs';
import * as path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { ruleTable } from '../../../../events/rules';
import { StageId } from '../../../../events/stage-ids';
import { SqsDeadLetters } from '../../../../infra/aws/adapters/sqs-dead-letters';
import { awsOperations } from '../../../../infra/aws/aws-operations';
import { DeliveryEnvName } from '../../../../infra/aws/lambda/delivery-routes';
import { RuntimeEnvName } from '../../../../infra/aws/lambda/runtime-env';
import type { BatchResponse } from '../../../../infra/aws/lambda/sqs-stage-batch';
import { ensureTables } from '../../../../infra/emulators/dynamodb/ensure-tables';
import { MOTO_ACCOUNT, MOTO_REGION, describeOnMoto } from '../moto/moto-server';

const prefix = 'tributary';
const names = { busName: prefix, rawBucket: `${prefix}-raw`, resourcePrefix: prefix, athenaWorkgroup: prefix };
const row = ruleTable(names).find((r) => r.target === StageId.AnnounceForecast);
const ruleName = `${prefix}-${row?.id ?? ''}`;
const queueName = `${ruleName}-deliveries`;
const queueArn = `arn:aws:sqs:${MOTO_REGION}:${MOTO_ACCOUNT}:${queueName}`;
const ruleArn = `arn:aws:events:${MOTO_REGION}:${MOTO_ACCOUNT}:rule/${prefix}/${ruleName}`;
/** The row's retry policy with 2 retries instead of its 185, so the test sees the last attempt soon; its age as in the table. */
const policy = { maximumRetryAttempts: 2, maximumEventAgeInSeconds: row?.retryPolicy.maximumEventAgeInSeconds ?? 0 };
/** The SageMaker event of a transform job no forecast stage recorded: announce-forecast's retryable "not yet". */
const transformFinished = (() => {
  const fixture: { detail: Record<string, unknown> } = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../fixtures/events/sagemaker-transform-job-completed.json'), 'utf8'));
  return { ...fixture.detail, TransformJobName: `${prefix}-traffic-forecast-unrecorded`, FailureReason: undefined };
})();

/** The environment the stack gives the announce-forecast function, with this rule's route and a 1–2 s backoff. */
function stageEnv(endpoint: string): Record<string, string> {
  return {
    [RuntimeEnvName.Stage]: StageId.AnnounceForecast,
    [RuntimeEnvName.Prefix]: prefix,
    [RuntimeEnvName.Bus]: prefix,
    [RuntimeEnvName.RawBucket]: `${prefix}-raw`,
    [RuntimeEnvName.RefinedBucket]: `${prefix}-refined`,
    [RuntimeEnvName.ForecastBucket]: `${prefix}-forecast`,
    [RuntimeEnvName.QuarantineBucket]: `${prefix}-quarantine`,
    [RuntimeEnvName.RefineWorkgroup]: prefix,
    [RuntimeEnvName.ReadWorkgroup]: `${prefix}-read`,
    [RuntimeEnvName.RunTable]: `${prefix}-runs`,
    [RuntimeEnvName.IdempotencyTable]: `${prefix}-idempotency`,
    [RuntimeEnvName.AlertTopicArn]: `arn:aws:sns:${MOTO_REGION}:${MOTO_ACCOUNT}:${prefix}-alerts`,
    [DeliveryEnvName.Routes]: JSON.stringify({ [queueName]: { ruleArn, ...policy, deadLetterQueue: row?.deadLetterQueue } }),
    [DeliveryEnvName.Backoff]: '1000,2000',
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: MOTO_REGION,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
  };
}

/** The Lambda event an SQS event source mapping builds from received messages. */
function sqsEvent(messages: readonly Message[]): unknown {
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId,
      receiptHandle: m.ReceiptHandle,
      body: m.Body,
      attributes: m.Attributes,
      messageAttributes: {},
      md5OfBody: m.MD5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: MOTO_REGION,
    })),
  };
}

/**
 * A rule's retry policy on the AWS wiring, over the wire: moto's EventBridge delivers the rule's event
 * to the rule's SQS queue; the test does what Lambda's event source mapping does (receive with the
 * queue's visibility timeout, invoke, delete what the answer does not list as a batch item failure)
 * and invokes the real Lambda entry (`stage-entry.ts`, the AWS composition root on moto's DynamoDB and
 * SQS), whose stage keeps failing with a retryable error. The queue's own visibility timeout is 12 h,
 * so only the function's backoff brings a failed message back.
 */
describeOnMoto('A stage queue applies the rule retry policy on AWS (moto server, the real Lambda entry)', (moto) => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
    jest.resetModules();
  });

  it('counts attempts, backs off by visibility, dead-letters the event with the attributes after the last attempt, and redrives it to the queue afresh', async () => {
    const config = moto().clientConfig;
    const sqs = new SQSClient(config);
    const events = new EventBridgeClient(config);
    const dynamodb = new DynamoDBClient(config);
    try {
      await ensureTables(dynamodb, { runs: `${prefix}-runs`, idempotency: `${prefix}-idempotency` });
      const QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: queueName, Attributes: { VisibilityTimeout: '43200' } }))).QueueUrl ?? '';
      await sqs.send(new CreateQueueCommand({ QueueName: row?.deadLetterQueue ?? '' }));
      await events.send(new CreateEventBusCommand({ Name: prefix }));
      await events.send(new PutRuleCommand({ Name: ruleName, EventBusName: prefix, EventPattern: JSON.stringify(row?.pattern) }));
      await events.send(new PutTargetsCommand({ Rule: ruleName, EventBusName: prefix, Targets: [{ Id: StageId.AnnounceForecast, Arn: queueArn, RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 } }] }));
      // AWS refuses aws.* sources in PutEvents (SageMaker emits this one itself); moto accepts it, which is all this needs.
      const put = await events.send(new PutEventsCommand({ Entries: [{ EventBusName: prefix, Source: 'aws.sagemaker', DetailType: 'SageMaker Transform Job State Change', Detail: JSON.stringify(transformFinished) }] }));
      expect(put.FailedEntryCount).toBe(0);

      Object.assign(process.env, stageEnv(moto().endpoint));
      jest.spyOn(Math, 'random').mockReturnValue(0.5);
      const visibility: number[] = [];
      const send = SQSClient.prototype.send as (this: SQSClient, command: unknown) => Promise<unknown>;
      jest.spyOn(SQSClient.prototype, 'send').mockImplementation(function (this: SQSClient, command: unknown) {
        if (command instanceof ChangeMessageVisibilityCommand) visibility.push(command.input.VisibilityTimeout ?? -1);
        return send.call(this, command) as never;
      });
      const { handler } = (await import('../../../../infra/aws/lambda/stage-entry')) as { handler: (event: unknown) => Promise<BatchResponse> };

      const receiveCounts: string[] = [];
      const bodies = new Set<string>();
      const answers: BatchResponse[] = [];
      for (let round = 0; round < 6 && answers.at(-1)?.batchItemFailures.length !== 0; round += 1) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 10, MessageSystemAttributeNames: ['All'] }));
        if (Messages.length === 0) continue;
        receiveCounts.push(...Messages.map((m) => m.Attributes?.ApproximateReceiveCount ?? '?'));
        for (const m of Messages) bodies.add(m.Body ?? '');
        const answer = await handler(sqsEvent(Messages));
        answers.push(answer);
        const kept = new Set(answer.batchItemFailures.map((f) => f.itemIdentifier));
        for (const m of Messages) if (!kept.has(m.MessageId ?? '')) await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
      }

      expect(receiveCounts).toEqual(['1', '2', '3']);
      expect(answers.map((a) => a.batchItemFailures.length)).toEqual([1, 1, 0]);
      // 1 000 ms · 2^(n-1), capped at 2 000 ms, times the jitter factor 0.75, rounded up to whole seconds.
      expect(visibility).toEqual([1, 2]);
      const left = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
      expect([left.Attributes?.ApproximateNumberOfMessages, left.Attributes?.ApproximateNumberOfMessagesNotVisible]).toEqual(['0', '0']);

      const letters = await new SqsDeadLetters(sqs).list(row?.deadLetterQueue ?? '');
      expect(letters).toHaveLength(1);
      expect(letters[0]?.event).toMatchObject({ source: 'aws.sagemaker', 'detail-type': 'SageMaker Transform Job State Change', detail: { TransformJobName: transformFinished.TransformJobName } });
      expect(letters[0]?.attributes).toEqual({
        RULE_ARN: ruleArn,
        TARGET_ARN: queueArn,
        ERROR_CODE: 'HANDLER_ERROR',
        ERROR_MESSAGE: expect.stringContaining(`no forecast job recorded for transform ${transformFinished.TransformJobName} yet`),
        EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
        RETRY_ATTEMPTS: '2',
      });

      // `tributary dlq redrive --aws`: the event goes back to the rule's queue as a new message (attempts and age start again).
      await awsOperations(prefix, { sqs, eventBridge: events }).redrive.redrive(row?.deadLetterQueue ?? '', letters[0]?.messageId ?? '');
      const { Messages: back = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5, MessageSystemAttributeNames: ['All'] }));
      expect(back.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([[[...bodies][0], '1']]);
      expect(bodies.size).toBe(1);
      expect(await new SqsDeadLetters(sqs).list(row?.deadLetterQueue ?? '')).toEqual([]);

      // A message the queue's own redrive policy moved (no attributes: the function crashed on it) goes back to the same queue.
      const dlqUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: row?.deadLetterQueue ?? '' }))).QueueUrl ?? '';
      const moved = (await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: [...bodies][0] ?? '' }))).MessageId ?? '';
      await awsOperations(prefix, { sqs, eventBridge: events }).redrive.redrive(row?.deadLetterQueue ?? '', moved);
      const { Messages: again = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 60, WaitTimeSeconds: 5 }));
      expect(again.map((m) => m.Body)).toEqual([[...bodies][0]]);
    } finally {
      for (const client of [sqs, events, dynamodb]) client.destroy();
    }
  });
});
