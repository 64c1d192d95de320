import { ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { awsErrorCode, awsErrorMessage, isTransientAwsError } from './aws-error-code';

/** The attributes EventBridge puts on a dead-lettered event (semantics note §4). */
export const DEAD_LETTER_ATTRIBUTES = ['RULE_ARN', 'TARGET_ARN', 'ERROR_CODE', 'ERROR_MESSAGE', 'EXHAUSTED_RETRY_CONDITION', 'RETRY_ATTEMPTS'] as const;

/** How long a listing hides the messages it has received (they are made visible again as soon as it ends). */
const PEEK_SECONDS = 60;

/** One dead-lettered delivery as `tributary dlq --aws` shows it. */
export interface AwsDeadLetter {
  readonly queue: string;
  readonly messageId: string;
  /** When EventBridge dead-lettered it (the message's SentTimestamp), ISO-8601. */
  readonly sentAt: string;
  /** The event as it was to be delivered (the message body). */
  readonly event: unknown;
  readonly attributes: Readonly<Partial<Record<(typeof DEAD_LETTER_ATTRIBUTES)[number], string>>>;
}

/** A dead-letter queue call failed; `retryable` as usual. */
export class DeadLetterQueueError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(message: string, options: { code: string; retryable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.retryable = options.retryable;
  }
}

/**
 * Reads and discards the per-rule SQS dead-letter queues of a deployed stack. Listing peeks: it
 * receives (hiding each message for a short visibility timeout, so the next receive brings others)
 * until the queue answers empty, then makes every received message visible again at once — nothing
 * is consumed. `discard` receives until it holds the message and deletes it, after the caller has
 * redriven it; the others it saw are made visible again.
 */
export class SqsDeadLetters {
  private readonly urls = new Map<string, string>();

  constructor(private readonly client: SQSClient) {}

  async list(queue: string, limit = 1000): Promise<AwsDeadLetter[]> {
    const url = await this.url(queue);
    const seen = new Map<string, Message>();
    try {
      while (seen.size < limit) {
        const messages = await this.receive(url, queue);
        if (messages.length === 0) break;
        for (const m of messages) if (m.MessageId !== undefined) seen.set(m.MessageId, m);
      }
    } finally {
      await this.release(url, queue, [...seen.values()]);
    }
    return [...seen.values()].map((m) => letterOf(queue, m)).sort((a, b) => a.sentAt.localeCompare(b.sentAt));
  }

  /** Deletes one message by id; false when it is no longer in the queue. */
  async discard(queue: string, messageId: string): Promise<boolean> {
    const url = await this.url(queue);
    const held: Message[] = [];
    try {
      for (;;) {
        const messages = await this.receive(url, queue);
        if (messages.length === 0) return false;
        const hit = messages.find((m) => m.MessageId === messageId);
        held.push(...messages.filter((m) => m !== hit));
        if (hit?.ReceiptHandle !== undefined) {
          const handle = hit.ReceiptHandle;
          await this.call(`DeleteMessage ${queue}`, () => this.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: handle })));
          return true;
        }
      }
    } finally {
      await this.release(url, queue, held);
    }
  }

  /** Makes received messages visible again at once. */
  private async release(url: string, queue: string, messages: readonly Message[]): Promise<void> {
    for (const m of messages) {
      const handle = m.ReceiptHandle;
      if (handle === undefined) continue;
      await this.call(`ChangeMessageVisibility ${queue}`, () => this.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 0 })));
    }
  }

  private async receive(url: string, queue: string): Promise<Message[]> {
    const out = await this.call(`ReceiveMessage ${queue}`, () =>
      this.client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: PEEK_SECONDS, WaitTimeSeconds: 0, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['SentTimestamp'] })),
    );
    return out.Messages ?? [];
  }

  private async url(queue: string): Promise<string> {
    const known = this.urls.get(queue);
    if (known !== undefined) return known;
    const out = await this.call(`GetQueueUrl ${queue}`, () => this.client.send(new GetQueueUrlCommand({ QueueName: queue })));
    if (out.QueueUrl === undefined) throw new DeadLetterQueueError(`queue ${queue} has no URL`, { code: 'QueueDoesNotExist', retryable: false });
    this.urls.set(queue, out.QueueUrl);
    return out.QueueUrl;
  }

  private async call<T>(what: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const code = awsErrorCode(error);
      throw new DeadLetterQueueError(`${what}: ${code}: ${awsErrorMessage(error)}`, { code, retryable: isTransientAwsError(error), cause: error });
    }
  }
}

function letterOf(queue: string, m: Message): AwsDeadLetter {
  const attributes: Partial<Record<(typeof DEAD_LETTER_ATTRIBUTES)[number], string>> = {};
  for (const name of DEAD_LETTER_ATTRIBUTES) {
    const value = m.MessageAttributes?.[name]?.StringValue;
    if (value !== undefined) attributes[name] = value;
  }
  let event: unknown = m.Body;
  try {
    event = JSON.parse(m.Body ?? '');
  } catch {
    event = m.Body;
  }
  const sent = Number(m.Attributes?.SentTimestamp);
  return { queue, messageId: m.MessageId ?? '', sentAt: Number.isFinite(sent) ? new Date(sent).toISOString() : '', event, attributes };
}
