import type { DeadLetterMessage } from './log-records';

/**
 * The messages of the local dead-letter queues, by queue name, in arrival order.
 *
 * This is the in-memory view; the delivery journal is its durable form (`dlq` records add a message,
 * `del` records remove one), so a queue survives restarts exactly as the journal recorded it.
 */
export class DeadLetterQueues {
  private readonly queues = new Map<string, Map<string, DeadLetterMessage>>();

  /** Adds a message (idempotent by message id). */
  add(message: DeadLetterMessage): void {
    let queue = this.queues.get(message.queue);
    if (queue === undefined) {
      queue = new Map();
      this.queues.set(message.queue, queue);
    }
    queue.set(message.messageId, message);
  }

  /** Removes a message; returns whether it was there. */
  remove(queue: string, messageId: string): boolean {
    return this.queues.get(queue)?.delete(messageId) ?? false;
  }

  /** A message by queue and id. */
  get(queue: string, messageId: string): DeadLetterMessage | undefined {
    return this.queues.get(queue)?.get(messageId);
  }

  /** The messages of a queue, oldest first (empty for an unknown queue). */
  list(queue: string): DeadLetterMessage[] {
    return [...(this.queues.get(queue)?.values() ?? [])];
  }

  /** The names of the queues that have held a message, with their current depth. */
  depths(): Array<{ readonly queue: string; readonly depth: number }> {
    return [...this.queues.entries()].map(([queue, messages]) => ({ queue, depth: messages.size }));
  }
}
