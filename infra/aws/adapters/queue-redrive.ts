import { ListTargetsByRuleCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { awsErrorCode, awsErrorMessage, isTransientAwsError } from './aws-error-code';
import { DeadLetterQueueError, type AwsDeadLetter, type SqsDeadLetters } from './sqs-dead-letters';
import { CodedError } from '../../../handlers/ports/coded-error';
import { deliveryQueueName } from '../lambda/delivery-routes';

/** The stack a redrive may deliver into: its bus, and each stage rule's name with its dead-letter queue. */
export interface RedriveScope {
  readonly busName: string;
  /** Rule name → its DLQ, for the rules whose target is a stage (through its delivery queue). */
  readonly stageRules: ReadonlyMap<string, string>;
}

/** A redrive that did not happen: the message stays in its queue. `retryable` says whether trying again may work. */
export class RedriveError extends CodedError {}

/** A message this stack must not deliver (not its rule's delivery queue, not an event): poison. */
export class RedriveRefusedError extends RedriveError {
  constructor(message: string) {
    super(message, { code: 'RedriveRefused', retryable: false });
  }
}

/** What `redriveAll` did: how many messages were delivered and deleted, and the ones refused (still queued). */
export interface RedriveSummary {
  readonly redriven: number;
  readonly refused: readonly { readonly queue: string; readonly messageId: string; readonly reason: string }[];
}

const QUEUE_ARN = /^arn:(aws[\w-]*):sqs:([a-z0-9-]+):(\d{12}):([\w-]{1,80})$/;
const RULE_ARN = /^arn:(aws[\w-]*):events:([a-z0-9-]+):(\d{12}):rule\/([^/]+)\/([^/]+)$/;

/**
 * Redrives the stack's dead-lettered deliveries the way EventBridge delivered them: every stage rule
 * targets its own delivery queue, so the message body (the event, byte for byte) is sent to the
 * message's `TARGET_ARN` queue (a fresh message: its attempts and age start again, as a local
 * redrive's do) and the message is deleted only after SQS accepted it. As the local bus does, a
 * message goes back to its original target only: its `RULE_ARN` must be a stage rule of this stack on
 * our bus whose DLQ is the message's queue, and the rule must still list that queue
 * (`ListTargetsByRule`); anything else is refused and kept. A message without attributes in a stage
 * rule's DLQ was moved there by its delivery queue's redrive policy (after the rule's attempts): it
 * goes back to that rule's delivery queue.
 */
export class QueueRedrive {
  private readonly targets = new Map<string, Promise<ReadonlySet<string>>>();

  constructor(
    private readonly eventBridge: EventBridgeClient,
    private readonly deadLetters: SqsDeadLetters,
    private readonly scope: RedriveScope,
  ) {}

  /** Redrives one message; throws {@link RedriveError} (message kept) when it is gone, refused or not accepted. */
  async redrive(queue: string, messageId: string): Promise<void> {
    const found = await this.deadLetters.redrive(queue, messageId, async (letter, body) => {
      await this.deliver(letter, body);
      return true;
    });
    if (!found) throw new RedriveError(`message ${messageId} is not in ${queue} (already redriven or discarded?)`, { code: 'MessageNotFound', retryable: false });
  }

  /**
   * Redrives every message of the queues. Refused messages are skipped and reported (they stay); a
   * failed send stops the pass with its error, keeping that message and the ones not reached yet.
   */
  async redriveAll(queues: readonly string[]): Promise<RedriveSummary> {
    const refused: { queue: string; messageId: string; reason: string }[] = [];
    let sent = 0;
    let redriven = 0;
    try {
      for (const queue of queues) {
        redriven += await this.deadLetters.redriveAll(queue, async (letter, body) => {
          try {
            await this.deliver(letter, body);
            sent += 1;
            return true;
          } catch (error) {
            if (!(error instanceof RedriveRefusedError)) throw error;
            refused.push({ queue, messageId: letter.messageId, reason: error.message });
            return false;
          }
        });
      }
    } catch (error) {
      const code = error instanceof RedriveError || error instanceof DeadLetterQueueError ? error.code : 'UnknownError';
      const retryable = error instanceof RedriveError || error instanceof DeadLetterQueueError ? error.retryable : false;
      throw new RedriveError(`redrive stopped after ${sent} message(s) sent (${refused.length} refused and kept): ${awsErrorMessage(error)}`, { code, retryable, cause: error });
    }
    return { redriven, refused };
  }

  private async deliver(letter: AwsDeadLetter, body: string): Promise<void> {
    const what = `message ${letter.messageId} of ${letter.queue}`;
    if (typeof letter.event !== 'object' || letter.event === null || Array.isArray(letter.event)) throw new RedriveRefusedError(`${what}: its body is not an event (a JSON object)`);
    const target = letter.attributes.TARGET_ARN;
    if (target === undefined && letter.attributes.RULE_ARN === undefined) return this.deliverMoved(letter, body, what);
    if (target === undefined) throw new RedriveRefusedError(`${what}: it has no TARGET_ARN attribute, so EventBridge did not dead-letter it and its target is unknown`);
    if (!QUEUE_ARN.test(target)) throw new RedriveRefusedError(`${what}: its target ${JSON.stringify(target)} is not a delivery queue; only deliveries to the stages' queues are redriven (a forwarded AWS service event cannot be re-sent: PutEvents refuses aws.* sources)`);
    return this.deliverToQueue(letter, target, body, what);
  }

  /** Sends a dead letter back to its rule's delivery queue, if that rule is this queue's stage rule and still targets it. */
  private async deliverToQueue(letter: AwsDeadLetter, target: string, body: string, what: string): Promise<void> {
    const ruleName = this.ruleOfQueue(letter, what);
    const [, partition, region, account, queue = ''] = QUEUE_ARN.exec(target) ?? [];
    const rule = RULE_ARN.exec(letter.attributes.RULE_ARN ?? '');
    if (rule === null || rule[1] !== partition || rule[2] !== region || rule[3] !== account) throw new RedriveRefusedError(`${what}: its target ${target} is not in the account and region of its rule ${letter.attributes.RULE_ARN ?? ''}`);
    if (!(await this.targetsOf(ruleName)).has(target)) throw new RedriveRefusedError(`${what}: ${target} is no longer a target of rule ${ruleName}; nothing of this stack would receive it`);
    await this.sendTo(queue, body, what);
  }

  /** Sends a message SQS moved into a stage rule's DLQ back to the delivery queue it came from. */
  private async deliverMoved(letter: AwsDeadLetter, body: string, what: string): Promise<void> {
    const ruleName = [...this.scope.stageRules].find(([, dlq]) => dlq === letter.queue)?.[0];
    if (ruleName === undefined) throw new RedriveRefusedError(`${what}: it has no RULE_ARN or TARGET_ARN attribute and ${letter.queue} is not a stage rule's DLQ, so its target is unknown`);
    await this.sendTo(deliveryQueueName(ruleName), body, what);
  }

  /** The stage rule whose DLQ holds the letter, checked against its RULE_ARN. */
  private ruleOfQueue(letter: AwsDeadLetter, what: string): string {
    const ruleArn = letter.attributes.RULE_ARN ?? '';
    const [, , , , bus, ruleName = ''] = RULE_ARN.exec(ruleArn) ?? [];
    if (bus !== this.scope.busName || this.scope.stageRules.get(ruleName) !== letter.queue) throw new RedriveRefusedError(`${what}: its rule ${JSON.stringify(ruleArn)} is not the stage rule of this queue on bus ${this.scope.busName}`);
    return ruleName;
  }

  private async sendTo(queue: string, body: string, what: string): Promise<void> {
    try {
      await this.deadLetters.send(queue, body);
    } catch (error) {
      const code = error instanceof DeadLetterQueueError ? error.code : awsErrorCode(error);
      if (code === 'AWS.SimpleQueueService.NonExistentQueue' || code === 'QueueDoesNotExist') throw new RedriveRefusedError(`${what}: its delivery queue ${queue} does not exist`);
      throw new RedriveError(`${what}: ${awsErrorMessage(error)}`, { code, retryable: error instanceof DeadLetterQueueError ? error.retryable : isTransientAwsError(error), cause: error });
    }
  }

  private targetsOf(ruleName: string): Promise<ReadonlySet<string>> {
    const known = this.targets.get(ruleName);
    if (known !== undefined) return known;
    const loaded = this.listTargets(ruleName);
    this.targets.set(ruleName, loaded);
    loaded.catch(() => this.targets.delete(ruleName));
    return loaded;
  }

  private async listTargets(ruleName: string): Promise<ReadonlySet<string>> {
    const arns = new Set<string>();
    let token: string | undefined;
    do {
      const out = await this.call(`ListTargetsByRule ${ruleName}`, () => this.eventBridge.send(new ListTargetsByRuleCommand({ Rule: ruleName, EventBusName: this.scope.busName, NextToken: token })));
      for (const t of out.Targets ?? []) if (t.Arn !== undefined) arns.add(t.Arn);
      token = out.NextToken;
    } while (token !== undefined);
    return arns;
  }

  private async call<T>(what: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const code = awsErrorCode(error);
      if (code === 'ResourceNotFoundException') throw new RedriveRefusedError(`${what}: ${code}: ${awsErrorMessage(error)}`);
      throw new RedriveError(`${what}: ${code}: ${awsErrorMessage(error)}`, { code, retryable: isTransientAwsError(error), cause: error });
    }
  }
}
