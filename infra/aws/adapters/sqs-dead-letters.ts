import { ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { awsErrorCode, awsErrorMessage, isTransientAwsError } from './aws-error-code';
import { CodedError } from '../../../handlers/ports/coded-error';

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
  /**
   * EventBridge's attributes when EventBridge dead-lettered it (its rule's delivery queue refused the
   * event); none when the delivery queue's redrive policy moved it here after the rule's attempts.
   */
  readonly attributes: Readonly<Partial<Record<(typeof DEAD_LETTER_ATTRIBUTES)[number], string>>>;
}

/** Delivers a held message (given parsed, and as its exact body); resolves true to have it deleted. */
export type Delivery = (letter: AwsDeadLetter, body: string) => Promise<boolean>;

/** A dead-letter queue call failed; `retryable` as usual. */
export class DeadLetterQueueError extends CodedError {}

/**
 * Reads and discards the SQS dead-letter queues of a deployed stack: the per-rule DLQs, which hold the
 * bare event (with EventBridge's attributes, or none when the rule's delivery queue moved it there
 * after the rule's attempts). Listing peeks: it
 * receives (hiding each message for a short visibility timeout, so the next receive brings others)
 * until the queue answers empty, then makes every received message visible again at once — nothing
 * is consumed. `redrive` receives until it holds the message, hands it to a delivery and deletes it
 * only once the delivery succeeded (so a failed delivery loses nothing); the others it saw are made
 * visible again. `discard` is a redrive that delivers nowhere.
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
    return this.redrive(queue, messageId, () => Promise.resolve(true));
  }

  /**
   * Hands one message to `deliver` and deletes it when `deliver` resolves true; false when the message
   * is no longer in the queue. A delivery that throws or resolves false leaves the message in the queue.
   */
  async redrive(queue: string, messageId: string, deliver: Delivery): Promise<boolean> {
    const url = await this.url(queue);
    const held: Message[] = [];
    try {
      for (;;) {
        const messages = await this.receive(url, queue);
        if (messages.length === 0) return false;
        const hit = messages.find((m) => m.MessageId === messageId);
        held.push(...messages);
        if (hit !== undefined) {
          if (await deliver(letterOf(queue, hit), hit.Body ?? '')) {
            await this.delete(url, queue, hit);
            held.splice(held.indexOf(hit), 1);
          }
          return true;
        }
      }
    } finally {
      await this.release(url, queue, held);
    }
  }

  /**
   * Hands every message of the queue to `deliver`, once each, deleting those it resolves true for;
   * returns how many were deleted. The others are made visible again when the pass ends or `deliver` throws.
   */
  async redriveAll(queue: string, deliver: Delivery): Promise<number> {
    const url = await this.url(queue);
    const kept = new Map<string, Message>();
    const done = new Set<string>();
    try {
      for (;;) {
        const fresh = (await this.receive(url, queue)).filter((m) => {
          const seen = m.MessageId === undefined || kept.has(m.MessageId) || done.has(m.MessageId);
          if (seen && m.MessageId !== undefined && kept.has(m.MessageId)) kept.set(m.MessageId, m);
          return !seen;
        });
        if (fresh.length === 0) return done.size;
        for (const m of fresh) kept.set(m.MessageId ?? '', m);
        for (const m of fresh) {
          if (!(await deliver(letterOf(queue, m), m.Body ?? ''))) continue;
          await this.delete(url, queue, m);
          kept.delete(m.MessageId ?? '');
          done.add(m.MessageId ?? '');
        }
      }
    } finally {
      await this.release(url, queue, [...kept.values()]);
    }
  }

  /** Sends `body` to a queue of the stack (a rule's delivery queue, for a redrive); throws {@link DeadLetterQueueError}. */
  async send(queue: string, body: string): Promise<void> {
    const url = await this.url(queue);
    await this.call(`SendMessage ${queue}`, () => this.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body })));
  }

  /** Deletes a held message once it was delivered; if that fails the message comes back, and a redrive delivers it again. */
  private async delete(url: string, queue: string, m: Message): Promise<void> {
    const handle = m.ReceiptHandle;
    if (handle === undefined) throw new DeadLetterQueueError(`message ${m.MessageId ?? '?'} of ${queue} came without a receipt handle`, { code: 'MissingReceiptHandle', retryable: true });
    await this.call(`DeleteMessage ${queue} (message ${m.MessageId ?? '?'} was delivered; it stays in the queue)`, () => this.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: handle })));
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
  let body: unknown = m.Body;
  try {
    body = JSON.parse(m.Body ?? '');
  } catch {
    body = m.Body;
  }
  const sent = Number(m.Attributes?.SentTimestamp);
  const sentAt = Number.isFinite(sent) ? new Date(sent).toISOString() : '';
  return { queue, messageId: m.MessageId ?? '', sentAt, event: body, attributes };
}
