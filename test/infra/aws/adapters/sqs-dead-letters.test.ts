import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
  type ReceiveMessageCommandInput,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { SqsDeadLetters } from '../../../../infra/aws/adapters/sqs-dead-letters';

const meta = { $metadata: { httpStatusCode: 400 } };

/**
 * Test double of an SQS standard queue: GetQueueUrl, ReceiveMessage (at most 10, a random sample of
 * the visible messages as SQS's server sampling gives, hidden for VisibilityTimeout seconds, a new
 * receipt handle per receive), ChangeMessageVisibility and DeleteMessage (only with the latest handle).
 */
class SqsEmulator {
  readonly client = new SQSClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  private readonly queues = new Map<string, { id: string; body: string; attrs: Record<string, string>; sent: number; hiddenUntil: number; handle?: string }[]>();
  private readonly mock = mockClient(this.client);

  constructor() {
    this.mock.on(GetQueueUrlCommand).callsFake(({ QueueName }) => {
      if (!this.queues.has(String(QueueName))) throw new QueueDoesNotExist({ message: 'The specified queue does not exist.', ...meta });
      return { QueueUrl: `https://sqs.us-east-1.amazonaws.com/123456789012/${QueueName}` };
    });
    this.mock.on(ReceiveMessageCommand).callsFake((input: ReceiveMessageCommandInput) => this.receive(input));
    this.mock.on(ChangeMessageVisibilityCommand).callsFake(({ QueueUrl, ReceiptHandle, VisibilityTimeout }) => {
      const m = this.queue(String(QueueUrl)).find((x) => x.handle === ReceiptHandle);
      if (!m) throw new ReceiptHandleIsInvalid({ message: 'The receipt handle is not valid.', ...meta });
      m.hiddenUntil = Date.now() + (VisibilityTimeout ?? 0) * 1000;
      return {};
    });
    this.mock.on(DeleteMessageCommand).callsFake(({ QueueUrl, ReceiptHandle }) => {
      const q = this.queue(String(QueueUrl));
      const i = q.findIndex((m) => m.handle === ReceiptHandle);
      if (i < 0) throw new ReceiptHandleIsInvalid({ message: 'The receipt handle is not valid.', ...meta });
      q.splice(i, 1);
      return {};
    });
  }

  add(queue: string, event: object, attrs: Record<string, string>, sent: number): void {
    const q = this.queues.get(queue) ?? [];
    q.push({ id: randomUUID(), body: JSON.stringify(event), attrs, sent, hiddenUntil: 0 });
    this.queues.set(queue, q);
  }

  size(queue: string): number {
    return this.queues.get(queue)?.length ?? 0;
  }

  visible(queue: string): number {
    return (this.queues.get(queue) ?? []).filter((m) => m.hiddenUntil <= Date.now()).length;
  }

  restore(): void {
    this.mock.restore();
  }

  private queue(url: string): NonNullable<ReturnType<typeof this.queues.get>> {
    const q = this.queues.get(url.split('/').pop() ?? '');
    if (!q) throw new QueueDoesNotExist({ message: 'The specified queue does not exist.', ...meta });
    return q;
  }

  private receive(input: ReceiveMessageCommandInput): { Messages?: Message[] } {
    const now = Date.now();
    const visible = this.queue(String(input.QueueUrl)).filter((m) => m.hiddenUntil <= now).sort(() => Math.random() - 0.5).slice(0, Math.min(input.MaxNumberOfMessages ?? 1, 10));
    const messages = visible.map((m) => {
      m.handle = randomUUID();
      m.hiddenUntil = now + (input.VisibilityTimeout ?? 30) * 1000;
      const MessageAttributes = Object.fromEntries(Object.entries(m.attrs).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]));
      return { MessageId: m.id, ReceiptHandle: m.handle, Body: m.body, MessageAttributes, Attributes: { SentTimestamp: String(m.sent) } };
    });
    return messages.length > 0 ? { Messages: messages } : {};
  }
}

describe('SqsDeadLetters', () => {
  const attrs = (n: number) => ({ RULE_ARN: 'arn:aws:events:us-east-1:123456789012:rule/tributary/tributary-refined-forecast', TARGET_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:f', ERROR_CODE: 'TIMEOUT', ERROR_MESSAGE: `timed out ${n}`, EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts', RETRY_ATTEMPTS: '8' });

  it('lists every message of a queue with its event and EventBridge attributes, oldest first, without consuming them', async () => {
    const sqs = new SqsEmulator();
    for (let i = 0; i < 25; i += 1) sqs.add('tributary-refined-forecast-dlq', { id: `e${i}`, 'detail-type': 'RefinedWritten' }, attrs(i), 1_700_000_000_000 + i);
    const letters = await new SqsDeadLetters(sqs.client).list('tributary-refined-forecast-dlq');
    expect(letters).toHaveLength(25);
    expect(letters[0]).toMatchObject({ queue: 'tributary-refined-forecast-dlq', sentAt: new Date(1_700_000_000_000).toISOString(), event: { id: 'e0' }, attributes: attrs(0) });
    expect(letters.map((l) => (l.event as { id: string }).id)).toEqual(Array.from({ length: 25 }, (_, i) => `e${i}`));
    expect(sqs.visible('tributary-refined-forecast-dlq')).toBe(25);
    sqs.restore();
  });

  it('discards one message by id, and reports a message already gone', async () => {
    const sqs = new SqsEmulator();
    for (let i = 0; i < 12; i += 1) sqs.add('q', { id: `e${i}` }, attrs(i), i);
    const dlq = new SqsDeadLetters(sqs.client);
    const [first] = await dlq.list('q');
    expect(await dlq.discard('q', first?.messageId ?? '')).toBe(true);
    expect(sqs.size('q')).toBe(11);
    expect(sqs.visible('q')).toBe(11);
    expect(await dlq.discard('q', 'no-such-id')).toBe(false);
    sqs.restore();
  });

  it('names an unknown queue as poison', async () => {
    const sqs = new SqsEmulator();
    await expect(new SqsDeadLetters(sqs.client).list('nope')).rejects.toMatchObject({ code: 'QueueDoesNotExist', retryable: false });
    sqs.restore();
  });
});
