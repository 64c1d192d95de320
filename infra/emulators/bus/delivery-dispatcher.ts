import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '../../../contracts/envelope';
import { decideRetry } from '../../../events/retry-policy';
import type { ActivityTracker } from './activity-tracker';
import type { DeadLetterQueues } from './dead-letter-queues';
import type { DeliveryOutcome } from './target-invoker';
import type { BusTarget } from './rule-registry';
import type { DeadLetterMessage, JournalRecord } from './log-records';

/** One delivery the bus owes: event `seq`'s delivery `index`, to a rule's target. */
export interface Delivery {
  readonly seq: number;
  readonly index: number;
  /** Ingestion time (ms); the maximum event age counts from here. */
  readonly at: number;
  readonly event: EventEnvelope;
  readonly ruleArn: string;
  readonly targetId: string;
  /** The event-log segment holding the event (for compaction). */
  readonly segment: number;
  /** Failed attempts so far. */
  attempts: number;
}

/** What the dispatcher needs from the bus around it. */
export interface DispatcherDeps {
  readonly target: (ruleArn: string, targetId: string) => BusTarget | undefined;
  /** One attempt of a delivery to its (current) target. */
  readonly invoke: (target: BusTarget, delivery: Delivery) => Promise<DeliveryOutcome>;
  readonly journal: (record: JournalRecord) => Promise<unknown>;
  readonly deadLetters: DeadLetterQueues;
  readonly activity: ActivityTracker;
  /** Called once per delivery when it is settled for good (delivered, dead-lettered or dropped). */
  readonly settled: (delivery: Delivery) => void;
  readonly now: () => number;
  readonly random: () => number;
  readonly concurrency: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
}

/**
 * Delivers owed deliveries with bounded concurrency, retrying failures as the target's retry policy
 * means ({@link decideRetry}: exponential backoff with jitter until the maximum retry attempts or
 * maximum event age, counted from ingestion, would be exceeded; the AWS stage queues decide with the
 * same function); then dead-letters (or drops, without a DLQ).
 * Success and drops are journalled without waiting (losing one only causes a redelivery: at least
 * once); a DLQ record is awaited before the delivery counts as settled.
 */
export class DeliveryDispatcher {
  private readonly queue: Delivery[] = [];
  private head = 0;
  private inFlight = 0;
  private running = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly deps: DispatcherDeps) {}

  /** Queues a delivery; it runs once the dispatcher is started and a slot is free. */
  enqueue(delivery: Delivery): void {
    this.deps.activity.begin();
    this.queue.push(delivery);
    this.pump();
  }

  /** Starts delivering. */
  start(): void {
    this.running = true;
    this.pump();
  }

  /** Stops starting new attempts and cancels scheduled retries (they stay owed on disk). */
  stop(): void {
    this.running = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.deps.activity.end(this.timers.size);
    this.timers.clear();
  }

  /** Resolves once no attempt is in flight (after {@link stop}, nothing new starts). */
  async drained(): Promise<void> {
    while (this.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  /** Deliveries queued, not yet started. */
  get queued(): number {
    return this.queue.length - this.head;
  }

  private pump(): void {
    while (this.running && this.inFlight < this.deps.concurrency && this.head < this.queue.length) {
      const delivery = this.queue[this.head];
      this.head += 1;
      if (this.head > 4096 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      if (delivery === undefined) continue;
      this.inFlight += 1;
      void this.attempt(delivery).finally(() => {
        this.inFlight -= 1;
        this.deps.activity.end();
        this.pump();
      });
    }
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const target = this.deps.target(delivery.ruleArn, delivery.targetId);
    if (target === undefined) return this.settle(delivery, { t: 'done', s: delivery.seq, i: delivery.index });
    const outcome = await this.deps.invoke(target, delivery).catch(
      (error: unknown): DeliveryOutcome => ({ ok: false, retryable: true, code: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error) }),
    );
    if (outcome.ok) return this.settle(delivery, { t: 'done', s: delivery.seq, i: delivery.index });
    delivery.attempts += 1;
    const backoff = { baseMs: this.deps.backoffBaseMs, maxMs: this.deps.backoffMaxMs };
    const decision = decideRetry(target.retryPolicy, backoff, { attempts: delivery.attempts, retryable: outcome.retryable, ageStartMs: delivery.at, nowMs: this.deps.now(), random: this.deps.random() });
    if (!decision.retry) return this.deadLetter(delivery, target, outcome, decision.condition);
    const delay = decision.delayMs;
    this.journal({ t: 'att', s: delivery.seq, i: delivery.index, n: delivery.attempts, r: delivery.ruleArn });
    this.deps.activity.begin();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.queue.push(delivery);
      this.pump();
    }, delay);
    this.timers.add(timer);
  }

  private async deadLetter(delivery: Delivery, target: BusTarget, outcome: Extract<DeliveryOutcome, { ok: false }>, condition: string): Promise<void> {
    if (target.deadLetterQueue === undefined) return this.settle(delivery, { t: 'done', s: delivery.seq, i: delivery.index });
    const message: DeadLetterMessage = {
      messageId: randomUUID(),
      queue: target.deadLetterQueue,
      sentAt: new Date(this.deps.now()).toISOString(),
      targetId: target.id,
      event: delivery.event,
      attributes: {
        RULE_ARN: delivery.ruleArn,
        TARGET_ARN: target.arn,
        ERROR_CODE: outcome.code,
        ERROR_MESSAGE: outcome.message,
        EXHAUSTED_RETRY_CONDITION: condition,
        RETRY_ATTEMPTS: String(delivery.attempts - 1),
      },
    };
    try {
      await this.deps.journal({ t: 'dlq', s: delivery.seq, i: delivery.index, m: message });
    } catch {
      delivery.attempts -= 1;
      this.deps.activity.begin();
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.queue.push(delivery);
        this.pump();
      }, this.deps.backoffMaxMs);
      this.timers.add(timer);
      return;
    }
    this.deps.deadLetters.add(message);
    this.deps.settled(delivery);
  }

  private settle(delivery: Delivery, record: JournalRecord): void {
    this.journal(record);
    this.deps.settled(delivery);
  }

  private journal(record: JournalRecord): void {
    void this.deps.activity.track(this.deps.journal(record)).catch(() => undefined);
  }
}

