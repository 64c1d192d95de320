import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const EVENTS = 10_000;
const CHILD = path.join(__dirname, 'crash-child.ts');

/** Deterministic failures by event number: always 500 (retried, then DLQ), always 400 (straight to DLQ), or 503 twice then 200. */
const alwaysServerError = (n: number): boolean => n % 50 === 0;
const alwaysClientError = (n: number): boolean => n % 97 === 0 && !alwaysServerError(n);
const transient = (n: number): boolean => n % 7 === 0 && !alwaysServerError(n) && !alwaysClientError(n);

interface TargetState {
  readonly attempts: Map<string, number>;
  readonly delivered: Set<string>;
  readonly numberOf: Map<string, number>;
  requests: number;
}

function startTarget(state: TargetState, onRequest: () => void): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; detail: { n: number } };
      const n = event.detail.n;
      const attempt = (state.attempts.get(event.id) ?? 0) + 1;
      state.attempts.set(event.id, attempt);
      state.numberOf.set(event.id, n);
      state.requests += 1;
      let status = 200;
      if (alwaysServerError(n)) status = 500;
      else if (alwaysClientError(n)) status = 400;
      else if (transient(n) && attempt <= 2) status = 503;
      if (status === 200) state.delivered.add(event.id);
      response.writeHead(status).end();
      onRequest();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function runChild(args: readonly string[], onStdout: (text: string) => void): { child: ChildProcess; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: path.join(__dirname, '../../../..'), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', onStdout);
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) process.stderr.write(stderr);
      resolve(code);
    }),
  );
  return { child, exit };
}

describe('local bus crash recovery (kill -9 mid-delivery)', () => {
  let home: string;
  let server: http.Server;
  const state: TargetState = { attempts: new Map(), delivered: new Set(), numberOf: new Map(), requests: 0 };
  let onRequest = (): void => undefined;

  beforeAll(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'bus-crash-'));
    server = await startTarget(state, () => onRequest());
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await fs.rm(home, { recursive: true, force: true });
  });

  it('delivers every accepted event at least once after a restart, and dead-letters exactly the exhausted ones', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
    const accepted = new Map<string, number>();
    let buffer = '';
    const first = runChild([home, url, 'publish', String(EVENTS)], (text) => {
      buffer += text;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const [kind, id, n] = line.split(' ');
        if (kind === 'A' && id !== undefined && id !== '-') accepted.set(id, Number(n));
      }
    });
    await new Promise<void>((resolve) => {
      onRequest = () => {
        if (state.requests >= 3000) {
          onRequest = () => undefined;
          resolve();
        }
      };
    });
    first.child.kill('SIGKILL');
    expect(await first.exit).toBeNull();
    const deliveredAtKill = state.delivered.size;

    let output = '';
    const second = runChild([home, url, 'recover'], (text) => (output += text));
    expect(await second.exit).toBe(0);
    expect(output.endsWith('DONE\n')).toBe(true);
    const dlq = output
      .split('\n')
      .filter((line) => line.startsWith('D '))
      .map((line) => line.split(' '));
    const dlqIds = dlq.map(([, id]) => id ?? '');

    expect(accepted.size).toBe(EVENTS);
    expect(deliveredAtKill).toBeLessThan(accepted.size - dlqIds.length);
    for (const [id, n] of accepted) {
      expect(state.attempts.get(id) ?? 0).toBeGreaterThanOrEqual(1);
      if (!alwaysServerError(n) && !alwaysClientError(n)) expect(state.delivered.has(id)).toBe(true);
    }
    const expectedDlq = [...state.numberOf].filter(([, n]) => alwaysServerError(n) || alwaysClientError(n)).map(([id]) => id);
    expect(new Set(dlqIds).size).toBe(dlqIds.length);
    expect(new Set(dlqIds)).toEqual(new Set(expectedDlq));
    for (const [, id, condition, retries] of dlq) {
      const n = state.numberOf.get(id ?? '') ?? -1;
      if (alwaysServerError(n)) {
        expect([condition, retries]).toEqual(['MaximumRetryAttempts', '3']);
        expect(state.attempts.get(id ?? '')).toBeGreaterThanOrEqual(4);
      } else {
        expect([condition, retries]).toEqual(['NonRetryableError', '0']);
      }
    }
    for (const [id, n] of state.numberOf) if (transient(n)) expect(state.delivered.has(id)).toBe(true);
  });
});
