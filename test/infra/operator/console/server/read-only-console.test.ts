import { mkdtemp, rm } from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ruleTable } from '../../../../../events/rules';
import { DynamoDbRunStore } from '../../../../../infra/dynamodb/dynamodb-run-store';
import { openLocalDynamoDb, type LocalDynamoDb } from '../../../../../infra/emulators/dynamodb/open-local-dynamodb';
import { serveConsole, type ConsoleServer } from '../../../../../infra/operator/console/server/console-server';
import { readOnlyRoutes } from '../../../../../infra/operator/console/server/routes';
import { RunListCache } from '../../../../../infra/operator/read-side/run-list-cache';

let home: string;
let dynamo: LocalDynamoDb;
let server: ConsoleServer;
let listener: http.Server;
let url: string;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'console-read-only-'));
  dynamo = await openLocalDynamoDb({ home });
  const runs = new DynamoDbRunStore({ client: dynamo.client, tableName: dynamo.tables.runs });
  await runs.recordLanding({ runId: 'run-1', dataset: 'traffic', object: { bucket: 'tributary-raw', key: 'traffic/a.jsonl', etag: 'e', size: 3 }, landedAt: '2026-01-05T10:00:00.000Z' });
  server = await serveConsole({ home, runs, runList: new RunListCache(runs) }, { token: 'ab'.repeat(32), routes: readOnlyRoutes });
  listener = http.createServer(server.handle);
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = listener.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}, 60_000);

afterAll(async () => {
  server?.close();
  listener?.closeAllConnections();
  await new Promise((resolve) => listener?.close(resolve));
  await dynamo?.close();
  await rm(home, { recursive: true, force: true });
});

function get(pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(`${url}${pathname}`, { headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('the read-only console (as `tributary console --aws` serves it)', () => {
  it('serves the page, runs and the graph from any run store, and nothing that needs the local bus', async () => {
    expect((await get('/')).body).toContain('<script type="module" src="/console/app.js">');
    expect((await get('/console/app.js')).status).toBe(200);
    const runs = JSON.parse((await get('/api/runs?dataset=traffic')).body);
    expect(runs).toMatchObject({ total: 1, runs: [{ runId: 'run-1' }] });
    expect(JSON.parse((await get('/api/runs/run-1')).body).run.runId).toBe('run-1');
    expect((await get('/api/runs/run-2')).status).toBe(404);
    expect(JSON.parse((await get('/api/runs?status=nope')).body).message).toMatch(/^status: /);
    const graph = JSON.parse((await get('/api/pipeline/graph')).body);
    expect(graph.nodes.filter((n: { kind: string }) => n.kind === 'rule')).toHaveLength(ruleTable().length);
    expect((await get('/api/pipeline/counts')).status).toBe(404);
    expect((await get('/api/events/stream')).status).toBe(404);
    expect((await get('/api/session')).status).toBe(401);
    expect((await get('/api/runs', { host: 'rebound.example' })).status).toBe(403);
  });
});
