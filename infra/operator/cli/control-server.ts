import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { foreignHostMessage, isLoopbackHost } from '../../emulators/bus/loopback-host';
import type { EmbeddedRuntime } from '../../local/runtime/embedded-runtime';
import { BackfillRequestedDetailSchema } from '../../../contracts/domain-events';
import { parseContract } from '../../../contracts/contract-violation-error';
import { backfillProgress } from '../../../handlers/stage-kit/backfill-progress';
import { publishBackfill } from './publish-backfill';

/** The file `tributary up` writes so other commands find it: its pid, control and EventBridge URLs and control token. */
export function upFile(home: string): string {
  return path.join(home, 'state', 'up.json');
}

function json(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** True when the request carries `Authorization: Bearer <token>` (compared in constant time). */
function hasToken(request: http.IncomingMessage, token: Buffer): boolean {
  const m = /^Bearer ([0-9a-f]+)$/.exec(request.headers.authorization ?? '');
  const given = Buffer.from(m?.[1] ?? '', 'utf8');
  return given.length === token.length && timingSafeEqual(given, token);
}

/** Why a request may not be answered (status and message), or undefined when it may. */
function refusal(request: http.IncomingMessage, token: Buffer): { status: number; message: string } | undefined {
  if (!isLoopbackHost(request.headers.host)) return { status: 403, message: foreignHostMessage(request.headers.host) };
  if (!hasToken(request, token)) return { status: 401, message: 'missing or wrong control token: send Authorization: Bearer <token> from <home>/state/up.json' };
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (request.method === 'POST' && type !== 'application/json') return { status: 415, message: `POST bodies must be application/json, got ${JSON.stringify(type ?? '')}` };
  return undefined;
}

/** Writes `up.json` readable by its owner only (0600), atomically, so no reader sees half of it or the token leaks. */
async function writeUpFile(file: string, content: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(content), { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}

/**
 * The control endpoint of a running `tributary up` (127.0.0.1, a free port, published in
 * `<home>/state/up.json`), so `wait`, `events tail` and `dlq` work against it — things the
 * EventBridge API has no call for:
 * - `GET /wait?timeoutMs=N` → `{quiescent}` once the pipeline is quiescent or N ms passed;
 * - `GET /events` → the accepted events as a stream of JSON lines, until the client disconnects;
 * - `GET /dlq` → every dead-letter message; `POST /dlq/redrive?queue=Q&id=M` → re-delivers one;
 * - `POST /replay` (StartReplay input) and `GET /replay?name=R` (DescribeReplay);
 * - `POST /backfill` (a `BackfillRequested` detail, published on the bus) and `GET /backfill?id=B` → `{progress}`.
 *
 * Every call needs `Authorization: Bearer <token>`, a per-start random token that only `up.json`
 * (mode 0600) holds, a loopback `Host` (DNS rebinding), and POSTs need `Content-Type:
 * application/json` (which a cross-site page cannot send without a preflight this server never grants).
 */
export async function startControlServer(runtime: EmbeddedRuntime): Promise<{ url: string; token: string; close(): Promise<void> }> {
  const tokenText = randomBytes(32).toString('hex');
  const token = Buffer.from(tokenText, 'utf8');
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    void (async () => {
      const refused = refusal(request, token);
      if (refused) {
        request.resume();
        return json(response, refused.status, { message: refused.message });
      }
      if (request.method === 'GET' && url.pathname === '/wait') {
        const timeoutMs = Number(url.searchParams.get('timeoutMs') ?? 600_000);
        json(response, 200, { quiescent: await runtime.waitUntilQuiescent({ timeoutMs }) });
      } else if (request.method === 'GET' && url.pathname === '/events') {
        response.writeHead(200, { 'content-type': 'application/x-ndjson' });
        const stop = runtime.bus.onEvent((accepted) => response.write(`${JSON.stringify(accepted)}\n`));
        request.on('close', stop);
      } else if (request.method === 'GET' && url.pathname === '/dlq') {
        const queues = runtime.bus.listDeadLetterQueues();
        json(response, 200, queues.flatMap((q) => runtime.bus.listDeadLetterMessages(q.queue)));
      } else if (request.method === 'POST' && url.pathname === '/dlq/redrive') {
        request.resume();
        await runtime.bus.redriveDeadLetterMessage(url.searchParams.get('queue') ?? '', url.searchParams.get('id') ?? '');
        json(response, 200, { redriven: true });
      } else if (request.method === 'POST' && url.pathname === '/replay') {
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(Buffer.from(chunk));
        json(response, 200, await runtime.bus.startReplay(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      } else if (request.method === 'POST' && url.pathname === '/backfill') {
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(Buffer.from(chunk));
        await publishBackfill(runtime, parseContract(BackfillRequestedDetailSchema, JSON.parse(Buffer.concat(chunks).toString('utf8')), 'BackfillRequested detail'));
        json(response, 200, { requested: true });
      } else if (request.method === 'GET' && url.pathname === '/backfill') {
        json(response, 200, { progress: await backfillProgress(runtime.deps.jobs, url.searchParams.get('id') ?? '') });
      } else if (request.method === 'GET' && url.pathname === '/replay') {
        json(response, 200, await runtime.bus.describeReplay({ ReplayName: url.searchParams.get('name') ?? '' }));
      } else json(response, 404, { message: `no such control call: ${request.method} ${url.pathname}` });
    })().catch((err: unknown) => json(response, 400, { message: err instanceof Error ? err.message : String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const file = upFile(runtime.home);
  await writeUpFile(file, { pid: process.pid, control: url, token: tokenText, eventbridge: runtime.endpoint?.url });
  return {
    url,
    token: tokenText,
    close: async () => {
      await rm(file, { force: true });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
