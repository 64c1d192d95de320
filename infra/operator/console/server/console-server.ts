import { timingSafeEqual } from 'node:crypto';
import type * as http from 'node:http';
import { foreignHostMessage, isLoopbackHost } from '../../../emulators/bus/loopback-host';
import { ConsoleApiError, type ApiRoute } from './api-route';
import { bundlePage } from './bundle-page';
import type { ConsoleContext, ReadContext } from './console-context';
import { matchRoute } from './match-route';
import { PAGE_HTML } from './page-html';
import { routes as defaultRoutes } from './routes';
import { openSse } from './sse-stream';

const MAX_BODY_BYTES = 1024 * 1024;

/** A started console: the request handler to mount on the endpoint's port, and `close` (ends open streams). */
export interface ConsoleServer {
  handle(request: http.IncomingMessage, response: http.ServerResponse): void;
  close(): void;
}

function json(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function asset(response: http.ServerResponse, type: string, body: string | Uint8Array): void {
  response.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache', 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff' });
  response.end(body);
}

/** True when the request carries `Authorization: Bearer <token>` (constant-time compare). */
function hasToken(request: http.IncomingMessage, token: Buffer): boolean {
  const m = /^Bearer ([0-9a-f]+)$/.exec(request.headers.authorization ?? '');
  const given = Buffer.from(m?.[1] ?? '', 'utf8');
  return given.length === token.length && timingSafeEqual(given, token);
}

async function readBody(request: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new ConsoleApiError(413, `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ConsoleApiError(400, 'request body is not valid JSON');
  }
}

/**
 * The operator console: `GET /` (the page), `GET /console/<file>` (app.js, app.css and chunks,
 * bundled in memory at start), and the API table of `routes.ts` under `/api/`. Every request needs a loopback `Host` (DNS
 * rebinding); routes with `needsToken` need `Authorization: Bearer <token>` (the per-start token of
 * `<home>/state/up.json`), and their POSTs a JSON content type, which a cross-site page cannot send
 * without a preflight this server never grants.
 */
export async function startConsole(ctx: ConsoleContext, options: { token: string }): Promise<ConsoleServer> {
  return serveConsole(ctx, { token: options.token, routes: defaultRoutes });
}

/** The console over any context and its routes (the read-only console of the deployed stack uses it with `readOnlyRoutes`). */
export async function serveConsole<C extends ReadContext>(ctx: C, options: { token: string; routes: readonly ApiRoute<C>[] }): Promise<ConsoleServer> {
  const bundle = await bundlePage();
  const token = Buffer.from(options.token, 'utf8');
  const table = options.routes;
  const streams = new Set<() => void>();

  const api = async (request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<void> => {
    const method = request.method ?? 'GET';
    let found: { route: ApiRoute<C>; params: Record<string, string> } | undefined;
    for (const route of table) {
      const params = matchRoute(route.path, url.pathname);
      if (params !== undefined && route.method === method) {
        found = { route, params };
        break;
      }
    }
    if (!found) {
      request.resume();
      return json(response, 404, { message: `no such console call: ${method} ${url.pathname}` });
    }
    const { route, params } = found;
    if (route.needsToken && !hasToken(request, token)) {
      request.resume();
      return json(response, 401, { message: 'this action needs the control token: open the console from `tributary console`, which puts it in the URL' });
    }
    const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (method === 'POST' && type !== 'application/json') {
      request.resume();
      return json(response, 415, { message: `POST bodies must be application/json, got ${JSON.stringify(type)}` });
    }
    const body = method === 'POST' ? await readBody(request) : (request.resume(), undefined);
    const apiRequest = { params, query: url.searchParams, body };
    if (route.kind === 'stream') {
      const sse = openSse(response);
      const stopRoute = route.open(apiRequest, ctx, sse.send);
      const stop = (): void => {
        streams.delete(stop);
        stopRoute();
        sse.close();
      };
      streams.add(stop);
      response.on('close', stop);
      return;
    }
    json(response, 200, await route.handler(apiRequest, ctx));
  };

  return {
    handle: (request, response) => {
      if (!isLoopbackHost(request.headers.host)) {
        request.resume();
        return json(response, 403, { message: foreignHostMessage(request.headers.host) });
      }
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (url.pathname.startsWith('/api/')) {
        api(request, response, url).catch((error: unknown) => {
          const status = error instanceof ConsoleApiError ? error.status : 400;
          if (response.headersSent) return void response.end();
          json(response, status, { message: error instanceof Error ? error.message : String(error) });
        });
        return;
      }
      request.resume();
      if (request.method !== 'GET' && request.method !== 'HEAD') return json(response, 405, { message: `${request.method ?? ''} ${url.pathname}: the console serves GET only outside /api/` });
      if (url.pathname === '/' || url.pathname === '/index.html') return asset(response, 'text/html; charset=utf-8', PAGE_HTML);
      const file = url.pathname.startsWith('/console/') ? bundle.get(url.pathname.slice('/console/'.length)) : undefined;
      if (file) return asset(response, file.type, file.body);
      json(response, 404, { message: `no such console page: ${url.pathname}` });
    },
    close: () => {
      for (const stop of [...streams]) stop();
    },
  };
}
