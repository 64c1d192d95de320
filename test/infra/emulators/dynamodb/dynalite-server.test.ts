import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeTableCommand, GetItemCommand, PutItemCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DynaliteStoreUnavailableError, startDynalite } from '../../../../infra/emulators/dynamodb/dynalite-server';
import { sweepExpiredRecords } from '../../../../infra/emulators/dynamodb/ttl-sweeper';
import { DynamoDbRunStore } from '../../../../infra/dynamodb/dynamodb-run-store';
import { RunTableSchema } from '../../../../infra/dynamodb/tables';

describe('startDynalite', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'tributary-dynalite-'));
  });
  afterEach(async () => rm(home, { recursive: true, force: true }));

  it('creates both tables on a fresh home, with the keys and index the adapters use', async () => {
    const server = await startDynalite({ home, sweepIntervalMs: 0 });
    try {
      expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const runs = (await server.client.send(new DescribeTableCommand({ TableName: server.tables.runs }))).Table;
      expect(runs?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }]);
      expect(runs?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual([RunTableSchema.runsIndex]);
      const idem = (await server.client.send(new DescribeTableCommand({ TableName: server.tables.idempotency }))).Table;
      expect(idem?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
      expect(idem?.TableStatus).toBe('ACTIVE');
    } finally {
      await server.close();
    }
  });

  it('keeps its data on disk: a restart sees what the last run wrote', async () => {
    const first = await startDynalite({ home, sweepIntervalMs: 0 });
    await new DynamoDbRunStore({ client: first.client }).recordLanding({
      runId: 'r1', dataset: 'traffic', landedAt: '2026-11-20T12:00:00Z',
      object: { bucket: 'tributary-raw', key: 'traffic/a.json', etag: 'e1', size: 5 },
      eventTimeRange: { min: '2026-11-20T10:00:00Z', max: '2026-11-20T11:00:00Z' },
    });
    await first.close();
    const second = await startDynalite({ home, sweepIntervalMs: 0 });
    try {
      const store = new DynamoDbRunStore({ client: second.client });
      expect((await store.getRun('r1'))?.run.object.key).toBe('traffic/a.json');
      expect((await store.findObjectsOverlapping('traffic', { from: '2026-11-20T10:30:00Z', to: '2026-11-20T10:40:00Z' })).map((o) => o.runId)).toEqual(['r1']);
    } finally {
      await second.close();
    }
  });

  it('refuses a second server on the same home with a clear error instead of crashing', async () => {
    const first = await startDynalite({ home, sweepIntervalMs: 0 });
    try {
      const error: unknown = await startDynalite({ home, sweepIntervalMs: 0 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DynaliteStoreUnavailableError);
      expect(String(error)).toMatch(/lock.*another tributary process/);
      expect(error).toMatchObject({ locked: true, retryable: false });
      expect((await first.client.send(new DescribeTableCommand({ TableName: first.tables.runs }))).Table?.TableStatus).toBe('ACTIVE');
    } finally {
      await first.close();
    }
  });

  it('has no UpdateTimeToLive, so expired idempotency records are swept instead, and live ones kept', async () => {
    const server = await startDynalite({ home, sweepIntervalMs: 0 });
    try {
      const table = server.tables.idempotency;
      await expect(server.client.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true } }))).rejects.toThrow();
      const now = Date.UTC(2026, 10, 20, 12) / 1000;
      for (const [id, expiration] of [['old', now - 1], ['live', now + 60], ['edge', now]] as const) {
        await server.client.send(new PutItemCommand({ TableName: table, Item: { id: { S: id }, expiration: { N: String(expiration) }, status: { S: 'COMPLETED' } } }));
      }
      expect(await sweepExpiredRecords(server.client, table, now * 1000)).toBe(1);
      const has = async (id: string): Promise<boolean> => (await server.client.send(new GetItemCommand({ TableName: table, Key: { id: { S: id } } }))).Item !== undefined;
      expect([await has('old'), await has('live'), await has('edge')]).toEqual([false, true, true]);
    } finally {
      await server.close();
    }
  });
});

describe('startDynalite after kill -9', () => {
  it('keeps every acknowledged write and opens the home again (the lock dies with the process)', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'tributary-dynalite-kill-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'write-until-killed.ts'), home], { stdio: ['ignore', 'pipe', 'pipe'] });
      const acked: string[] = [];
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      await new Promise<void>((resolve, reject) => {
        let buffer = '';
        child.stdout.on('data', (d: Buffer) => {
          buffer += d.toString();
          const lines = buffer.split('\n');
          buffer = lines.pop() ?? '';
          acked.push(...lines);
          if (acked.length >= 40) resolve();
        });
        child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
      });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const server = await startDynalite({ home, sweepIntervalMs: 0 });
      try {
        const store = new DynamoDbRunStore({ client: server.client });
        const missing: string[] = [];
        for (const runId of acked) if ((await store.getRun(runId)) === undefined) missing.push(runId);
        expect(missing).toEqual([]);
        const found = await store.findObjectsOverlapping('traffic', { from: '2026-11-20T00:30:00Z', to: '2026-11-20T00:31:00Z' });
        expect(found.length).toBeGreaterThanOrEqual(acked.length);
      } finally {
        await server.close();
      }
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
