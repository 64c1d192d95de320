import { controlToken } from './token';

/** An API call that failed: the HTTP status and the server's one-line message. */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function call(path: string, init: RequestInit): Promise<unknown> {
  const token = controlToken();
  const headers = new Headers(init.headers);
  if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
  const response = await fetch(path, { ...init, headers });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const message = typeof body === 'object' && body !== null && 'message' in body ? String(body.message) : `${response.status} ${response.statusText}`;
    throw new ApiCallError(response.status, message);
  }
  return body;
}

/** Minimal schema contract (zod's `parse`), so callers validate what the server sent. */
export interface Parser<T> {
  parse(value: unknown): T;
}

/** GETs an `/api/...` JSON resource (with the token when the tab has one) and parses it. */
export async function getJson<T>(path: string, schema: Parser<T>): Promise<T> {
  return schema.parse(await call(path, { method: 'GET' }));
}

/** POSTs JSON to an `/api/...` action with the token (actions need it) and parses the answer. */
export async function postJson<T>(path: string, body: unknown, schema: Parser<T>): Promise<T> {
  return schema.parse(await call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }));
}

/** `/api/path?k=v…` with empty and undefined values left out. */
export function apiPath(path: string, query: Readonly<Record<string, string | number | undefined>>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}
