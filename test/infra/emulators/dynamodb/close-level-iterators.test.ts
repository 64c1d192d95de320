import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { PutItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { dynaliteIteratorBase } from '../../../../infra/emulators/dynamodb/close-level-iterators';
import { startDynalite, type DynaliteServer } from '../../../../infra/emulators/dynamodb/dynalite-server';

describe('dynalite closes the LevelDB iterators of its queries and scans', () => {
  let home: string;
  let server: DynaliteServer;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'tributary-iterators-'));
    server = await startDynalite({ home, sweepIntervalMs: 0 });
  });
  afterAll(async () => {
    await server.close();
    await rm(home, { recursive: true, force: true });
  });

  it('closes one iterator per Query or Scan, whether it read to the end or stopped at its Limit', async () => {
    const table = server.tables.runs;
    for (let i = 0; i < 30; i++) await server.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'P' }, sk: { S: `s${String(i).padStart(2, '0')}` } } }));
    const close = jest.spyOn(dynaliteIteratorBase(), 'close');
    try {
      const query = (limit?: number) => server.client.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'P' } }, ...(limit ? { Limit: limit } : {}) }));
      for (let i = 0; i < 10; i++) await query(5);
      for (let i = 0; i < 10; i++) await query();
      for (let i = 0; i < 10; i++) await server.client.send(new ScanCommand({ TableName: table, Limit: 3 }));
      // Closing happens as each stream ends, just after the response may have been sent.
      for (let i = 0; i < 100 && close.mock.calls.length < 30; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(close.mock.calls.length).toBeGreaterThanOrEqual(30);
    } finally {
      close.mockRestore();
    }
  });
});
