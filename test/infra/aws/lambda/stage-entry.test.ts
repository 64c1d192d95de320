import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { StageId } from '../../../../events/stage-ids';
import { RuntimeEnvName } from '../../../../infra/aws/lambda/runtime-env';
import { stageFailed } from '../../../handlers/ports/alert-sink.contract';

const topicArn = 'arn:aws:sns:us-east-1:123456789012:tributary-alerts';

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

  it('runs the stage its environment names, with the AWS adapters: a StageFailed event pages through SNS', async () => {
    Object.assign(process.env, env);
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    try {
      const { handler } = await import('../../../../infra/aws/lambda/stage-entry');
      const detail = stageFailed(7);
      await handler({ version: '0', id: 'e-1', 'detail-type': 'StageFailed', source: 'tributary.pipeline', account: '123456789012', time: '2026-01-01T00:00:00Z', region: 'us-east-1', resources: [], detail });
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
  });
});
