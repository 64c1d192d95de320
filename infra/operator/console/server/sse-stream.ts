import type * as http from 'node:http';

/** A server-sent-events response: `send` writes one named event; `close` ends the response. */
export interface SseStream {
  send(event: string, data: unknown): void;
  close(): void;
}

const HEARTBEAT_MS = 15_000;

/**
 * Starts an SSE response (`text/event-stream`, no caching, no proxy buffering) with a comment line
 * every 15 s so idle connections are not cut, and `retry: 2000` so the browser reconnects quickly.
 */
export function openSse(response: http.ServerResponse): SseStream {
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no', connection: 'keep-alive' });
  response.write('retry: 2000\n\n');
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  return {
    send: (event, data) => {
      if (!response.writableEnded) response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close: () => {
      clearInterval(heartbeat);
      if (!response.writableEnded) response.end();
    },
  };
}
