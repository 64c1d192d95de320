import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP target for a rule: it answers 400 (not retryable, so straight to the DLQ) until `accept.on` is set, then 200, keeping what it accepted. */
export interface RefusingTarget {
  readonly url: string;
  readonly accept: { on: boolean };
  readonly received: unknown[];
  close(): Promise<void>;
}

/** Starts a {@link RefusingTarget} on a free loopback port. */
export function refusingTarget(): Promise<RefusingTarget> {
  const accept = { on: false };
  const received: unknown[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (accept.on) received.push(JSON.parse(body));
      response.writeHead(accept.on ? 200 : 400).end(accept.on ? 'ok' : 'refused by the test target');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/hook`, accept, received, close: () => new Promise<void>((done) => server.close(() => done())) });
    }),
  );
}
