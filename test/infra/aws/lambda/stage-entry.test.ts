import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { StageId } from '../../../../events/stage-ids';
import { DeliveryEnvName } from '../../../../infra/aws/lambda/delivery-routes';
import { RuntimeEnvName } from '../../../../infra/aws/lambda/runtime-env';
import { stageFailed } from '../../../handlers/ports/alert-sink.contract';

const topicArn = 'arn:aws:sns:us-east-1:123456789012:tributary-alerts';
const queueArn = 'arn:aws:sqs:us-east-1:123456789012:tributary-stage-failed-alert-deliveries';
const route = { ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/tributary/tributary-stage-failed-alert', maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86400, deadLetterQueue: 'tributary-stage-failed-alert-dlq' };

/** One event as the alert rule's queue hands it to the function (an SQS event source mapping batch of one). */
const batchOf = (event: unknown) => ({
  Records: [
    {
      messageId: 'm-1', receiptHandle: 'r-1', body: JSON.stringify(event), messageAttributes: {}, md5OfBody: 'x', eventSource: 'aws:sqs', eventSourceARN: queueArn, awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '1', ApproximateFirstReceiveTimestamp: '1767225600000', SenderId: 'events', SentTimestamp: '1767225600000' },
    },
  ],
});

/** The env the stack sets on the alert function (names from RuntimeEnvName, as the stack uses them). */
const env: Record<string, string> = {
  [RuntimeEnvName.Stage]: StageId.Alert,
  [RuntimeEnvName.Prefix]: 'tributary',
  [RuntimeEnvName.Bus]: 'tributary',
  [RuntimeEnvName.RawBucket]: 'raw',
  [RuntimeEnvName.RefinedBucket]: 'refined',
  [RuntimeEnvName.ForecastBucket]: 'forecast',
  [RuntimeEnvName.QuarantineBucket]: 'quarantine',
  [RuntimeEnvName.RefineWorkgroup]: 'tributary',
  [RuntimeEnvName.ReadWorkgroup]: 'tributary-read',
  [RuntimeEnvName.RunTable]: 'tributary-runs',
  [RuntimeEnvName.IdempotencyTable]: 'tributary-idempotency',
  [RuntimeEnvName.AlertTopicArn]: topicArn,
  [DeliveryEnvName.Routes]: JSON.stringify({ 'tributary-stage-failed-alert-deliveries': route }),
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
};

describe('the Lambda entry point', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    jest.resetModules();
  });

  it('runs the stage its environment names on each event of its queue batch, with the AWS adapters: a StageFailed event pages through SNS', async () => {
    Object.assign(process.env, env);
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    try {
      const { handler } = await import('../../../../infra/aws/lambda/stage-entry');
      const detail = stageFailed(7);
      const answer = await handler(batchOf({ version: '0', id: 'e-1', 'detail-type': 'StageFailed', source: 'tributary.pipeline', account: '123456789012', time: '2026-01-01T00:00:00Z', region: 'us-east-1', resources: [], detail }));
      expect(answer).toEqual({ batchItemFailures: [] });
      const published = sns.commandCalls(PublishCommand)[0]?.args[0].input;
      expect(published?.TopicArn).toBe(topicArn);
      expect(JSON.parse(JSON.parse(published?.Message ?? '{}').default)).toMatchObject({ detail, title: expect.stringContaining('register-landing failed') });
    } finally {
      sns.restore();
    }
  });

  it('refuses to start with a misconfigured environment, naming the variable', async () => {
    Object.assign(process.env, env, { [RuntimeEnvName.Stage]: 'no-such-stage' });
    await expect(import('../../../../infra/aws/lambda/stage-entry')).rejects.toThrow(/TRIBUTARY_STAGE/);
    jest.resetModules();
    Object.assign(process.env, env, { [DeliveryEnvName.Routes]: JSON.stringify({ q: { ...route, maximumRetryAttempts: 186 } }) });
    await expect(import('../../../../infra/aws/lambda/stage-entry')).rejects.toThrow(/TRIBUTARY_DELIVERY_ROUTES: q\.maximumRetryAttempts/);
  });

  it('refuses an invocation that is not an SQS batch: only its rules\' queues invoke it', async () => {
    Object.assign(process.env, env);
    const { handler } = await import('../../../../infra/aws/lambda/stage-entry');
    await expect(handler({ 'detail-type': 'StageFailed', detail: {} })).rejects.toThrow(/other than an SQS batch/);
  });
});
