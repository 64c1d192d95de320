import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  RequestThrottled,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
  type ReceiveMessageCommandInput,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';

const meta = { $metadata: { httpStatusCode: 400 } };

/**
 * Test double of an SQS standard queue: GetQueueUrl, ReceiveMessage (at most 10, a random sample of
 * the visible messages as SQS's server sampling gives, hidden for VisibilityTimeout seconds, a new
 * receipt handle per receive), ChangeMessageVisibility and DeleteMessage (only with the latest handle;
 * RequestThrottled while `throttleDeletes`), SendMessage to an existing queue (RequestThrottled after
 * `throttleSendsAfter` sends).
 */
export class SqsEmulator {
  readonly client = new SQSClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  private readonly queues = new Map<string, { id: string; body: string; attrs: Record<string, string>; sent: number; hiddenUntil: number; handle?: string }[]>();
  private readonly mock = mockClient(this.client);
  /** When set, DeleteMessage answers RequestThrottled. */
  throttleDeletes = false;
  /** SendMessage answers RequestThrottled once this many messages were sent. */
  throttleSendsAfter = Number.POSITIVE_INFINITY;
  /** The bodies sent with SendMessage, in order, with their queue. */
  readonly sent: { queue: string; body: string }[] = [];

  constructor() {
    this.mock.on(GetQueueUrlCommand).callsFake(({ QueueName }) => {
      if (!this.queues.has(String(QueueName))) throw new QueueDoesNotExist({ message: 'The specified queue does not exist.', ...meta });
      return { QueueUrl: `https://sqs.us-east-1.amazonaws.com/123456789012/${QueueName}` };
    });
    this.mock.on(SendMessageCommand).callsFake(({ QueueUrl, MessageBody }) => {
      const queue = String(QueueUrl).split('/').pop() ?? '';
      this.queue(String(QueueUrl));
      if (this.sent.length >= this.throttleSendsAfter) throw new RequestThrottled({ message: 'Request is throttled.', ...meta });
      this.sent.push({ queue, body: String(MessageBody) });
      return { MessageId: this.add(queue, String(MessageBody), {}, Date.now()) };
    });
    this.mock.on(ReceiveMessageCommand).callsFake((input: ReceiveMessageCommandInput) => this.receive(input));
    this.mock.on(ChangeMessageVisibilityCommand).callsFake(({ QueueUrl, ReceiptHandle, VisibilityTimeout }) => {
      const m = this.queue(String(QueueUrl)).find((x) => x.handle === ReceiptHandle);
      if (!m) throw new ReceiptHandleIsInvalid({ message: 'The receipt handle is not valid.', ...meta });
      m.hiddenUntil = Date.now() + (VisibilityTimeout ?? 0) * 1000;
      return {};
    });
    this.mock.on(DeleteMessageCommand).callsFake(({ QueueUrl, ReceiptHandle }) => {
      if (this.throttleDeletes) throw new RequestThrottled({ message: 'Request is throttled.', ...meta });
      const q = this.queue(String(QueueUrl));
      const i = q.findIndex((m) => m.handle === ReceiptHandle);
      if (i < 0) throw new ReceiptHandleIsInvalid({ message: 'The receipt handle is not valid.', ...meta });
      q.splice(i, 1);
      return {};
    });
  }

  /** Sends a message (an event object, or a raw body) and returns its MessageId; creates the queue. */
  add(queue: string, event: object | string, attrs: Record<string, string>, sent: number): string {
    const q = this.queues.get(queue) ?? [];
    const id = randomUUID();
    q.push({ id, body: typeof event === 'string' ? event : JSON.stringify(event), attrs, sent, hiddenUntil: 0 });
    this.queues.set(queue, q);
    return id;
  }

  /** Creates an empty queue. */
  create(queue: string): void {
    if (!this.queues.has(queue)) this.queues.set(queue, []);
  }

  /** MessageIds of a queue, in send order. */
  ids(queue: string): string[] {
    return (this.queues.get(queue) ?? []).map((m) => m.id);
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

