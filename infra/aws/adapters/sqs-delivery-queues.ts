import { ChangeMessageVisibilityCommand, GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetterAttributes, DeliveryQueues } from '../lambda/sqs-stage-batch';
import { awsErrorCode, awsErrorMessage, isTransientAwsError } from './aws-error-code';
import { DeadLetterQueueError } from './sqs-dead-letters';

/** The longest attribute value kept: an error message is cut here, so the body keeps SQS's 256 KiB for the event. */
const MAX_ATTRIBUTE_CHARS = 4096;

const QUEUE_ARN = /^arn:[\w-]+:sqs:[a-z0-9-]+:(\d{12}):([\w-]{1,80})$/;

/**
 * The SQS side of a stage function's retries: `ChangeMessageVisibility` on the rule's queue for the
 * backoff, `SendMessage` of the unchanged body with EventBridge's attributes to the rule's DLQ (SQS refuses an empty attribute value: one is sent as a space). Queue
 * URLs are looked up once per container (`GetQueueUrl`, in the account of the queue the message came from).
 */
export class SqsDeliveryQueues implements DeliveryQueues {
  private readonly urls = new Map<string, Promise<string>>();

  constructor(private readonly client: SQSClient) {}

  async delay(queueArn: string, receiptHandle: string, seconds: number): Promise<void> {
    const url = await this.url(queueArn, undefined);
    await this.call(`ChangeMessageVisibility ${queueArn}`, () => this.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds })));
  }

  async deadLetter(queue: string, sourceQueueArn: string, body: string, attributes: DeadLetterAttributes): Promise<void> {
    const url = await this.url(sourceQueueArn, queue);
    const MessageAttributes = Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value === '' ? ' ' : value.slice(0, MAX_ATTRIBUTE_CHARS) }]));
    await this.call(`SendMessage ${queue}`, () => this.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageAttributes })));
  }

  /** The URL of the queue `arn` names, or of the queue `name` in its account. */
  private url(arn: string, name: string | undefined): Promise<string> {
    const match = QUEUE_ARN.exec(arn);
    if (match === null) return Promise.reject(new DeadLetterQueueError(`${arn} is not an SQS queue ARN`, { code: 'InvalidQueueArn', retryable: false }));
    const [, account = '', own = ''] = match;
    const queue = name ?? own;
    const key = `${account}/${queue}`;
    const known = this.urls.get(key);
    if (known !== undefined) return known;
    const found = this.call(`GetQueueUrl ${queue}`, () => this.client.send(new GetQueueUrlCommand({ QueueName: queue, QueueOwnerAWSAccountId: account }))).then((out) => {
      if (out.QueueUrl === undefined) throw new DeadLetterQueueError(`queue ${queue} has no URL`, { code: 'QueueDoesNotExist', retryable: false });
      return out.QueueUrl;
    });
    this.urls.set(key, found);
    found.catch(() => this.urls.delete(key));
    return found;
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
