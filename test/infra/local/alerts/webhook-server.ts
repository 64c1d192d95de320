import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP receiver on 127.0.0.1 (ephemeral port) that records JSON POST bodies and answers `status`. */
export interface WebhookServer {
  readonly url: string;
  readonly bodies: unknown[];
  readonly requests: { method: string; contentType: string | undefined }[];
  status: number;
  /** Milliseconds to wait before answering. */
  delayMs: number;
  close(): Promise<void>;
}

/** Starts a WebhookServer; the caller closes it. */
export async function startWebhookServer(): Promise<WebhookServer> {
  const state = { status: 200, delayMs: 0, bodies: [] as unknown[], requests: [] as { method: string; contentType: string | undefined }[] };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests.push({ method: req.method ?? '', contentType: req.headers['content-type'] });
      setTimeout(() => {
        if (state.status >= 200 && state.status < 300) state.bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(state.status, { 'content-type': 'text/plain' }).end(state.status < 300 ? 'ok' : 'receiver unhappy');
      }, state.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/hooks/alerts`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  }) as WebhookServer;
}
