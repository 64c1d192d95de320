import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SnsAlertSink } from '../../../../infra/aws/adapters/sns-alert-sink';
import { alertFor, alertSinkContract, type ReceivedAlert } from '../../../handlers/ports/alert-sink.contract';
import { MOTO_ACCOUNT, MOTO_REGION, describeOnMoto } from '../moto/moto-server';

/**
 * SnsAlertSink over the wire: the alert-sink contract against moto's SNS, with an SQS queue subscribed
 * (raw delivery) standing in for the on-call subscriber, so the test reads exactly what SNS delivered.
 */
describeOnMoto('SnsAlertSink over the wire (moto server)', (moto) => {
  async function harness(): Promise<{ sns: SNSClient; sqs: SQSClient; topicArn: string; received: () => Promise<ReceivedAlert[]> }> {
    await moto().reset();
    const sns = new SNSClient(moto().clientConfig);
    const sqs = new SQSClient(moto().clientConfig);
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'tributary-alerts' }))).TopicArn ?? '';
    const QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'on-call' }))).QueueUrl ?? '';
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:${MOTO_REGION}:${MOTO_ACCOUNT}:on-call`, Attributes: { RawMessageDelivery: 'true' } }));
    const seen: ReceivedAlert[] = [];
    const received = async (): Promise<ReceivedAlert[]> => {
      for (;;) {
        const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        const messages = out.Messages ?? [];
        if (messages.length === 0) return seen;
        for (const m of messages) seen.push(JSON.parse(m.Body ?? '') as ReceivedAlert);
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }));
      }
    };
    return { sns, sqs, topicArn, received };
  }

  alertSinkContract(
    'SnsAlertSink on moto',
    async () => {
      const { sns, sqs, topicArn, received } = await harness();
      return {
        sink: new SnsAlertSink(sns, topicArn),
        received,
        breakDestination: async () => undefined,
        close: async () => {
          sns.destroy();
          sqs.destroy();
        },
      };
    },
    { skipBrokenDestination: 'SNS refuses a publish only for reasons resending cannot fix (a missing topic, denied access, a KMS key state); the retryable ones (throttling, 5xx) cannot be caused on moto' },
  );

  it('does not retry a missing topic', async () => {
    const { sns, sqs, topicArn } = await harness();
    await expect(new SnsAlertSink(sns, `${topicArn}-gone`).send(alertFor(1))).rejects.toMatchObject({ retryable: false, sink: 'sns' });
    sns.destroy();
    sqs.destroy();
  });
});
