import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PowertoolsIdempotency } from '../../../infra/dynamodb/idempotency';
import { startDynalite, type DynaliteServer } from '../../../infra/emulators/dynamodb/dynalite-server';
import { ensureTables } from '../../../infra/emulators/dynamodb/ensure-tables';
import { IdempotencyInProgressError, IdempotencyKeyError } from '../../../handlers/ports/idempotency-errors';

interface Landing { object: { key: string; etag: string }; note?: string }

let home: string;
let server: DynaliteServer;
let tableCount = 0;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'tributary-idem-'));
  server = await startDynalite({ home, sweepIntervalMs: 0 });
});
afterAll(async () => {
  await server.close();
  await rm(home, { recursive: true, force: true });
});

async function freshIdempotency(): Promise<{ idempotency: PowertoolsIdempotency; tableName: string }> {
  const tableName = `idem-${++tableCount}`;
  await ensureTables(server.client, { runs: server.tables.runs, idempotency: tableName });
  return { idempotency: new PowertoolsIdempotency({ client: server.client, tableName }), tableName };
}

async function records(tableName: string): Promise<Record<string, { S?: string; N?: string }>[]> {
  return ((await server.client.send(new ScanCommand({ TableName: tableName }))).Items ?? []) as Record<string, { S?: string; N?: string }>[];
}

const landing = (key: string, etag = 'e1', note?: string): Landing => ({ object: { key, etag }, ...(note ? { note } : {}) });

describe('PowertoolsIdempotency on dynalite', () => {
  it('runs a duplicate business key once and returns the stored result; the record carries the expiration TTL', async () => {
    const { idempotency, tableName } = await freshIdempotency();
    let calls = 0;
    const register = idempotency.makeIdempotent(async (input: Landing) => ({ runId: `run-${input.object.key}`, call: ++calls }), {
      name: 'register-landing',
      keyPath: '[object.key, object.etag]',
      expiresAfterSeconds: 600,
    });
    const before = Math.floor(Date.now() / 1000);
    expect(await register(landing('a.json'))).toEqual({ runId: 'run-a.json', call: 1 });
    expect(await register(landing('a.json', 'e1', 'delivered again'))).toEqual({ runId: 'run-a.json', call: 1 });
    expect(await register(landing('a.json', 'e2'))).toEqual({ runId: 'run-a.json', call: 2 });
    expect(calls).toBe(2);
    const items = await records(tableName);
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(item.id?.S).toMatch(/^register-landing#[A-Za-z0-9+/]{22}==$/);
      expect(item.status?.S).toBe('COMPLETED');
      const expiration = Number(item.expiration?.N);
      expect(expiration).toBeGreaterThanOrEqual(before + 600);
      expect(expiration).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 600);
    }
  });

  it('raises a retryable in-progress error for a concurrent duplicate once its wait is over, then serves the stored result', async () => {
    const { idempotency } = await freshIdempotency();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const refine = idempotency.makeIdempotent(async (input: { runId: string }) => {
      calls++;
      await gate;
      return { refined: input.runId };
    }, { name: 'refine', keyPath: 'runId', inProgressWaitSeconds: 0.2 });
    const first = refine({ runId: 'r1' });
    // The first execution runs (its in-progress record saved) before the duplicate is sent.
    while (calls < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    const error: unknown = await refine({ runId: 'r1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdempotencyInProgressError);
    expect(error).toMatchObject({ retryable: true, message: expect.stringMatching(/^refine: another execution/) });
    release();
    expect(await first).toEqual({ refined: 'r1' });
    expect(await refine({ runId: 'r1' })).toEqual({ refined: 'r1' });
    expect(calls).toBe(1);
  });

  it('lets a duplicate wait for the execution holding its key and return its result, without running again', async () => {
    const { idempotency } = await freshIdempotency();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const forecast = idempotency.makeIdempotent(async (input: { runId: string }) => {
      calls++;
      await gate;
      return { forecast: input.runId };
    }, { name: 'forecast', keyPath: 'runId', inProgressWaitSeconds: 30 });
    const first = forecast({ runId: 'r1' });
    // The first execution runs (its in-progress record saved) before the duplicate is sent.
    while (calls < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    const duplicate = forecast({ runId: 'r1' });
    setTimeout(release, 400);
    expect(await duplicate).toEqual({ forecast: 'r1' });
    expect(await first).toEqual({ forecast: 'r1' });
    expect(calls).toBe(1);
  });

  it('lets a new execution take a key whose holder crashed once the in-progress timeout has passed', async () => {
    const { idempotency, tableName } = await freshIdempotency();
    let calls = 0;
    const forecast = idempotency.makeIdempotent(async (_input: { runId: string }) => ({ call: ++calls }), { name: 'forecast', keyPath: 'runId', inProgressWaitSeconds: 0.2 });
    await forecast({ runId: 'r1' });
    const [item] = await records(tableName);
    const hold = async (inProgressUntilMs: number): Promise<void> => {
      await server.client.send(new UpdateItemCommand({
        TableName: tableName,
        Key: { id: { S: item?.id?.S ?? '' } },
        UpdateExpression: 'SET #s = :s, #ip = :ip REMOVE #d',
        ExpressionAttributeNames: { '#s': 'status', '#ip': 'in_progress_expiration', '#d': 'data' },
        ExpressionAttributeValues: { ':s': { S: 'INPROGRESS' }, ':ip': { N: String(inProgressUntilMs) } },
      }));
    };
    await hold(Date.now() + 60_000);
    await expect(forecast({ runId: 'r1' })).rejects.toThrow(IdempotencyInProgressError);
    await hold(Date.now() - 1);
    expect(await forecast({ runId: 'r1' })).toEqual({ call: 2 });
  });

  it('stores nothing when the function fails, so the retry runs it again', async () => {
    const { idempotency, tableName } = await freshIdempotency();
    let calls = 0;
    const flaky = idempotency.makeIdempotent(async (_input: { runId: string }) => {
      calls++;
      if (calls === 1) throw new Error('transient');
      return 'ok';
    }, { name: 'announce-refined', keyPath: 'runId' });
    await expect(flaky({ runId: 'r1' })).rejects.toThrow('transient');
    expect(await records(tableName)).toHaveLength(0);
    expect(await flaky({ runId: 'r1' })).toBe('ok');
    expect(calls).toBe(2);
  });

  it('keeps two functions with the same key apart, even sharing one store', async () => {
    const { idempotency, tableName } = await freshIdempotency();
    const ran: string[] = [];
    const a = idempotency.makeIdempotent(async (i: { runId: string }) => { ran.push(`a:${i.runId}`); return 'a'; }, { name: 'stage-a', keyPath: 'runId', expiresAfterSeconds: 60 });
    const b = idempotency.makeIdempotent(async (i: { runId: string }) => { ran.push(`b:${i.runId}`); return 'b'; }, { name: 'stage-b', keyPath: 'runId', expiresAfterSeconds: 7200 });
    expect(await Promise.all([a({ runId: 'r1' }), b({ runId: 'r1' }), a({ runId: 'r2' })])).toEqual(['a', 'b', 'a']);
    expect(await Promise.all([a({ runId: 'r1' }), b({ runId: 'r1' })])).toEqual(['a', 'b']);
    expect(ran.sort()).toEqual(['a:r1', 'a:r2', 'b:r1']);
    const ttl = new Map((await records(tableName)).map((r) => [r.id?.S?.split('#')[0], Number(r.expiration?.N) - Math.floor(Date.now() / 1000)]));
    expect(ttl.get('stage-a')).toBeGreaterThanOrEqual(58);
    expect(ttl.get('stage-a')).toBeLessThanOrEqual(61);
    expect(ttl.get('stage-b')).toBeGreaterThan(7100);
  });

  it('handles a function that returns nothing', async () => {
    const { idempotency } = await freshIdempotency();
    let calls = 0;
    const publish = idempotency.makeIdempotent(async (_i: { runId: string }): Promise<void> => { calls++; }, { name: 'alert', keyPath: 'runId' });
    expect(await publish({ runId: 'r1' })).toBeUndefined();
    expect(await publish({ runId: 'r1' })).toBeUndefined();
    expect(calls).toBe(1);
  });

  it('rejects an input without the business key as poison', async () => {
    const { idempotency } = await freshIdempotency();
    const fn = idempotency.makeIdempotent(async (_i: { runId?: string }) => 'x', { name: 'refine', keyPath: 'runId' });
    await expect(fn({})).rejects.toThrow(IdempotencyKeyError);
    await expect(fn({})).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/^refine: the input has no idempotency key/) });
  });
});
