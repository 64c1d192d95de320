import type { AcceptedEvent } from '../../../emulators/bus/event-feed';
import type { ApiRoute } from './api-route';

/** How often a stream flushes the events accepted since its last batch. */
const FLUSH_MS = 100;
/** The most events one batch carries; past it a batch says how many it dropped (a tail, not a log). */
const MAX_BATCH = 2000;

/**
 * `GET /api/events/stream`: the bus's accepted events as server-sent events, batched every 100 ms
 * (`event: events`, data `{events: AcceptedEvent[], dropped}`) so a browser keeps up with thousands of
 * events a second; `event: hello` first, with the time. Read-only: no token (EventSource cannot send one).
 */
export const streamRoutes: readonly ApiRoute[] = [
  { kind: 'stream', method: 'GET', path: '/api/events/stream', needsToken: false, open: (_request, ctx, send) => streamAcceptedEvents(ctx.runtime.bus, send) },
];

/**
 * Streams the bus's accepted events that `matches` keeps (all by default) to `send`: `hello` first,
 * then one `events` message of `{events, dropped}` every 100 ms with what arrived since. Returns the
 * function that stops it.
 */
export function streamAcceptedEvents(bus: { onEvent(listener: (accepted: AcceptedEvent) => void): () => void }, send: (event: string, data: unknown) => void, matches: (accepted: AcceptedEvent) => boolean = () => true): () => void {
  let batch: AcceptedEvent[] = [];
  let dropped = 0;
  send('hello', { at: new Date().toISOString() });
  const stop = bus.onEvent((accepted) => {
    if (!matches(accepted)) return;
    if (batch.length < MAX_BATCH) batch.push(accepted);
    else dropped += 1;
  });
  const timer = setInterval(() => {
    if (batch.length === 0 && dropped === 0) return;
    send('events', { events: batch, dropped });
    batch = [];
    dropped = 0;
  }, FLUSH_MS);
  return () => {
    clearInterval(timer);
    stop();
  };
}
