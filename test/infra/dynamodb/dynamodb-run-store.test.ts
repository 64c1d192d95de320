import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbRunStore } from '../../../infra/dynamodb/dynamodb-run-store';
import { localDynamoDbClient, startDynalite, type DynaliteServer } from '../../../infra/local/dynamodb/dynalite-server';
import { ensureTables } from '../../../infra/local/dynamodb/ensure-tables';
import { RunStoreError, RunStoreUnavailableError } from '../../../handlers/ports/run-store-errors';
import { runStoreContract } from '../../handlers/ports/run-store.contract';

let home: string;
let server: DynaliteServer;
let tableCount = 0;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'tributary-run-store-'));
  server = await startDynalite({ home, sweepIntervalMs: 0 });
});
afterAll(async () => {
  await server.close();
  await rm(home, { recursive: true, force: true });
});

/** A fresh run table per test in the one dynalite, so tests never see each other's items. */
async function freshStore(): Promise<{ store: DynamoDbRunStore; tableName: string }> {
  const tableName = `runs-${++tableCount}`;
  await ensureTables(server.client, { runs: tableName, idempotency: server.tables.idempotency });
  return { store: new DynamoDbRunStore({ client: server.client, tableName }), tableName };
}

runStoreContract('DynamoDbRunStore on dynalite', async () => {
  const { store } = await freshStore();
  return { store, close: async () => undefined };
});

describe('DynamoDbRunStore specifics', () => {
  it('answers an event-time window with Queries only, never a Scan', async () => {
    const { store } = await freshStore();
    const sent: string[] = [];
    server.client.middlewareStack.add((next, context) => async (args) => {
      sent.push(String(context.commandName));
      return next(args);
    }, { step: 'initialize', name: 'count-commands' });
    try {
      await store.recordLanding({
        runId: 'r1', dataset: 'traffic', landedAt: '2026-11-20T12:00:00Z',
        object: { bucket: 'tributary-raw', key: 'k', etag: 'e', size: 1 },
        eventTimeRange: { min: '2026-11-20T01:00:00Z', max: '2026-11-21T01:00:00Z' },
      });
      sent.length = 0;
      const found = await store.findObjectsOverlapping('traffic', { from: '2026-11-20T23:00:00Z', to: '2026-11-21T02:00:00Z' });
      expect(found.map((o) => o.runId)).toEqual(['r1']);
      expect(sent).toEqual(['QueryCommand', 'QueryCommand']);
    } finally {
      server.client.middlewareStack.remove('count-commands');
    }
  });

  it('reports a malformed item as a poison error naming the item kind', async () => {
    const { store, tableName } = await freshStore();
    await server.client.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'RUN#bad' }, sk: { S: 'RUN' }, runId: { S: 'bad' } } }));
    const error: unknown = await store.getRun('bad').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunStoreError);
    expect(error).toMatchObject({ retryable: false, message: expect.stringMatching(/malformed run item: dataset/) });
  });

  it('translates an unreachable DynamoDB into a retryable error', async () => {
    const client = localDynamoDbClient('http://127.0.0.1:9');
    try {
      const error: unknown = await new DynamoDbRunStore({ client }).getRun('r1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunStoreUnavailableError);
      expect(error).toMatchObject({ retryable: true });
    } finally {
      client.destroy();
    }
  });

  it('reports a missing table as poison', async () => {
    const store = new DynamoDbRunStore({ client: server.client, tableName: 'no-such-table' });
    await expect(store.getRun('r1')).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/ResourceNotFoundException/) });
  });
});
