import { randomUUID } from 'node:crypto';
import { InternalErrorException, InvalidParameterException, NotFoundException, PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { SnsAlertSink } from '../../../../infra/aws/adapters/sns-alert-sink';
import { alertFor, alertSinkContract, type ReceivedAlert } from '../../../handlers/ports/alert-sink.contract';

const topicArn = 'arn:aws:sns:us-east-1:123456789012:tributary-alerts';
const meta = { $metadata: { httpStatusCode: 400 } };

/**
 * Test double of SNS Publish: validates as SNS does (topic exists, Subject ASCII and < 100 chars without
 * line breaks, MessageStructure json needs a `default` key) and delivers the `default` message to a
 * queue subscriber; a broken topic answers InternalError (5xx), as during a service fault.
 */
class SnsEmulator {
  readonly client = new SNSClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  readonly delivered: { subject?: string; message: string; email?: string }[] = [];
  broken = false;
  private readonly mock = mockClient(this.client);

  constructor() {
    this.mock.on(PublishCommand).callsFake((input: PublishCommandInput) => {
      if (input.TopicArn !== topicArn) throw new NotFoundException({ message: 'Topic does not exist', ...meta });
      if (this.broken) throw new InternalErrorException({ message: 'Internal error', $metadata: { httpStatusCode: 500 } });
      if (input.Subject !== undefined && (input.Subject.length >= 100 || /[^\x20-\x7e]/.test(input.Subject))) throw new InvalidParameterException({ message: 'Invalid parameter: Subject', ...meta });
      let message = input.Message ?? '';
      let email: string | undefined;
      if (input.MessageStructure === 'json') {
        const parsed = JSON.parse(message) as Record<string, string>;
        if (typeof parsed.default !== 'string') throw new InvalidParameterException({ message: "Invalid parameter: Message Structure - No default entry in JSON message body", ...meta });
        message = parsed.default;
        email = parsed.email;
      }
      this.delivered.push({ subject: input.Subject, message, email });
      return { MessageId: randomUUID() };
    });
  }

  restore(): void {
    this.mock.restore();
  }
}

alertSinkContract('SnsAlertSink (aws-sdk-client-mock emulating SNS)', async () => {
  const sns = new SnsEmulator();
  return {
    sink: new SnsAlertSink(sns.client, topicArn),
    received: async () => sns.delivered.map((d) => JSON.parse(d.message) as ReceivedAlert),
    breakDestination: async () => {
      sns.broken = true;
    },
    close: async () => sns.restore(),
  };
});

describe('SnsAlertSink', () => {
  it('sends an ASCII subject under 100 characters and a readable email body with the detail', async () => {
    const sns = new SnsEmulator();
    const alert = { ...alertFor(3), title: `${'é'.repeat(5)} ${'x'.repeat(200)}` };
    await new SnsAlertSink(sns.client, topicArn).send(alert);
    expect(sns.delivered[0]?.subject?.length).toBeLessThan(100);
    expect(sns.delivered[0]?.email).toContain(alert.body);
    expect(sns.delivered[0]?.email).toContain('"runId": "run-3"');
    sns.restore();
  });

  it('does not retry a missing topic', async () => {
    const sns = new SnsEmulator();
    await expect(new SnsAlertSink(sns.client, `${topicArn}-gone`).send(alertFor(1))).rejects.toMatchObject({ retryable: false, sink: 'sns' });
    sns.restore();
  });
});
