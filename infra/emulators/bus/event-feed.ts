import type { EventEnvelope } from '../../../contracts/envelope';

/** An event the bus accepted (after it is on disk), with the bus it arrived on. */
export interface AcceptedEvent {
  readonly bus: string;
  readonly event: EventEnvelope;
}

/** A listener of accepted events. */
export type AcceptedEventListener = (accepted: AcceptedEvent) => void;

/**
 * Fans accepted events out to listeners (for `events tail` and tests). Listeners run synchronously
 * after the event is durable; a throwing listener is isolated and never affects acceptance.
 */
export class EventFeed {
  private readonly listeners = new Set<AcceptedEventListener>();

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: AcceptedEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Delivers one accepted event to every listener. */
  emit(accepted: AcceptedEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(accepted);
      } catch {
        // A listener's failure is its own; acceptance already happened.
      }
    }
  }

  /** Accepted events as an async iterator, from now until `signal` aborts or the consumer returns. */
  async *iterate(signal?: AbortSignal): AsyncGenerator<AcceptedEvent> {
    const buffer: AcceptedEvent[] = [];
    let wake: (() => void) | undefined;
    const unsubscribe = this.subscribe((accepted) => {
      buffer.push(accepted);
      wake?.();
    });
    const onAbort = (): void => wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      while (signal?.aborted !== true) {
        const next = buffer.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    } finally {
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
