import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbRunStore } from '../../../infra/dynamodb/dynamodb-run-store';
import { localDynamoDbClient, startDynalite, type DynaliteServer } from '../../../infra/emulators/dynamodb/dynalite-server';
import { ensureTables } from '../../../infra/emulators/dynamodb/ensure-tables';
import { RunStoreError, RunStoreUnavailableError } from '../../../handlers/ports/run-store-errors';
import { IndexedRunStates, StageStatus } from '../../../handlers/ports/run-store';
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

/** Runs `body` with the names of the DynamoDB commands the shared client sends collected in `sent`. */
async function withCommandsSent(body: (sent: string[]) => Promise<void>): Promise<void> {
  const sent: string[] = [];
  server.client.middlewareStack.add((next, context) => async (args) => {
    sent.push(String(context.commandName));
    return next(args);
  }, { step: 'initialize', name: 'count-commands' });
  try {
    await body(sent);
  } finally {
    server.client.middlewareStack.remove('count-commands');
  }
}

runStoreContract('DynamoDbRunStore on dynalite', async () => {
  const { store } = await freshStore();
  return { store, close: async () => undefined };
});

describe('DynamoDbRunStore specifics', () => {
  it('lists runs with the state of their run items, leaving out an index entry no run item has any more (a ghost a crash left)', async () => {
    const { store, tableName } = await freshStore();
    await store.recordLanding({ runId: 'r1', dataset: 'traffic', landedAt: '2026-11-20T12:00:02Z', object: { bucket: 'tributary-raw', key: 'k', etag: 'e', size: 1 } });
    await store.transition({ runId: 'r1', stage: 'register-landing', status: StageStatus.Succeeded, at: '2026-11-20T12:00:03Z' });
    // An index entry for run r1 at an earlier landing time whose own item is not r1's: what dynalite
    // keeps when a crash cut a landing between its index entry and its item, and it was recorded again.
    await server.client.send(new PutItemCommand({
      TableName: tableName,
      Item: { pk: { S: 'RUN#r1-ghost' }, sk: { S: 'RUN' }, gsi1pk: { S: 'RUNS' }, gsi1sk: { S: '2026-11-20T12:00:01.000Z#r1' }, runId: { S: 'r1' }, dataset: { S: 'traffic' }, bucket: { S: 'tributary-raw' }, key: { S: 'k' }, etag: { S: 'e' }, size: { N: '1' }, landedAt: { S: '2026-11-20T12:00:01.000Z' }, updatedAt: { S: '2026-11-20T12:00:01.000Z' } },
    }));
    const { runs } = await store.listRuns();
    expect(runs.map((r) => [r.runId, r.lastStage, r.lastStatus])).toEqual([['r1', 'register-landing', 'succeeded']]);
  });

  it('answers an event-time window with Queries only, never a Scan', async () => {
    const { store } = await freshStore();
    await withCommandsSent(async (sent) => {
      await store.recordLanding({
        runId: 'r1', dataset: 'traffic', landedAt: '2026-11-20T12:00:00Z',
        object: { bucket: 'tributary-raw', key: 'k', etag: 'e', size: 1 },
        eventTimeRange: { min: '2026-11-20T01:00:00Z', max: '2026-11-21T01:00:00Z' },
      });
      sent.length = 0;
      const found = await store.findObjectsOverlapping('traffic', { from: '2026-11-20T23:00:00Z', to: '2026-11-21T02:00:00Z' });
      expect(found.map((o) => o.runId)).toEqual(['r1']);
      expect(sent).toEqual(['QueryCommand', 'QueryCommand']);
    });
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

  it('writes a transition as one timeline entry and one update of the run item; many runs share batched reads and timeline writes', async () => {
    const { store, tableName } = await freshStore();
    const runIds = Array.from({ length: 30 }, (_, i) => `m${i}`);
    for (const runId of runIds) await store.recordLanding({ runId, dataset: 'traffic', landedAt: '2026-11-20T12:00:00Z', object: { bucket: 'tributary-raw', key: runId, etag: 'e', size: 1 } });
    await withCommandsSent(async (sent) => {
      await store.transition({ runId: 'm0', stage: 'refine', status: StageStatus.Running, at: '2026-11-20T13:00:00Z' });
      expect(sent.sort()).toEqual(['BatchGetItemCommand', 'PutItemCommand', 'UpdateItemCommand']);
      sent.length = 0;
      await store.transitionMany(runIds.map((runId) => ({ runId, stage: 'refine', status: StageStatus.Succeeded, at: '2026-11-20T13:05:00Z' })));
      const count = (name: string): number => sent.filter((c) => c === name).length;
      expect({ gets: count('BatchGetItemCommand'), timelineBatches: count('BatchWriteItemCommand'), updates: count('UpdateItemCommand'), other: sent.length - count('BatchGetItemCommand') - count('BatchWriteItemCommand') - count('UpdateItemCommand') })
        .toEqual({ gets: 1, timelineBatches: 2, updates: 30, other: 0 });
    });
    expect((await store.getRun('m0'))?.stages).toEqual([{ stage: 'refine', status: 'succeeded', attempts: 1, startedAt: '2026-11-20T13:00:00.000Z', endedAt: '2026-11-20T13:05:00.000Z', updatedAt: '2026-11-20T13:05:00.000Z' }]);
    // The update writes the stage entry only: the run's summary is its newest entry.
    const item = (await server.client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'RUN#m0' }, sk: { S: 'RUN' } } }))).Item ?? {};
    expect(Object.keys(item).filter((k) => k.startsWith('last'))).toEqual([]);
    expect((await store.getRun('m0'))?.run).toMatchObject({ lastStage: 'refine', lastStatus: 'succeeded', updatedAt: '2026-11-20T13:05:00.000Z' });
  });

  it('reads the STAGE# items an earlier version wrote, and carries their state on', async () => {
    const { store, tableName } = await freshStore();
    await store.recordLanding({ runId: 'old', dataset: 'traffic', landedAt: '2026-11-20T12:00:00Z', object: { bucket: 'tributary-raw', key: 'k', etag: 'e', size: 1 } });
    // As an earlier version landed it: without the marker that says it never had STAGE# items.
    await server.client.send(new UpdateItemCommand({ TableName: tableName, Key: { pk: { S: 'RUN#old' }, sk: { S: 'RUN' } }, UpdateExpression: 'REMOVE stagesInRunItem' }));
    const legacy = (stage: string, status: string, version: string, extra: Record<string, { S: string } | { N: string }>) =>
      server.client.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'RUN#old' }, sk: { S: `STAGE#${stage}` }, runId: { S: 'old' }, stage: { S: stage }, status: { S: status }, version: { S: version }, ...extra } }));
    await legacy('register-landing', 'succeeded', '2026-11-20T12:00:01.000Z#2', { startedAt: { S: '2026-11-20T12:00:00.500Z' }, endedAt: { S: '2026-11-20T12:00:01.000Z' }, updatedAt: { S: '2026-11-20T12:00:01.000Z' }, attempts: { N: '1' } });
    await legacy('refine', 'running', '2026-11-20T13:00:00.000Z#1', { startedAt: { S: '2026-11-20T13:00:00.000Z' }, updatedAt: { S: '2026-11-20T13:00:00.000Z' }, attempts: { N: '1' } });
    expect((await store.getRun('old'))?.stages.map((s) => `${s.stage}:${s.status}`)).toEqual(['register-landing:succeeded', 'refine:running']);
    // Older than the legacy item's version: stale, as it would have been before.
    expect(await store.transition({ runId: 'old', stage: 'refine', status: StageStatus.Running, at: '2026-11-20T12:30:00Z' })).toEqual({ applied: false });
    expect(await store.transition({ runId: 'old', stage: 'refine', status: StageStatus.Running, at: '2026-11-20T13:10:00Z' })).toEqual({ applied: true });
    expect((await store.getRun('old'))?.stages).toEqual([
      { stage: 'register-landing', status: 'succeeded', attempts: 1, startedAt: '2026-11-20T12:00:00.500Z', endedAt: '2026-11-20T12:00:01.000Z', updatedAt: '2026-11-20T12:00:01.000Z' },
      { stage: 'refine', status: 'running', attempts: 2, startedAt: '2026-11-20T13:10:00.000Z', updatedAt: '2026-11-20T13:10:00.000Z' },
    ]);
    // Such a run keeps its summary in the fields earlier versions wrote: they are still written.
    expect((await store.getRun('old'))?.run).toMatchObject({ lastStage: 'refine', lastStatus: 'running', updatedAt: '2026-11-20T13:10:00.000Z' });
    // The run now has a stage map; a stage only a legacy item knows is carried into it too.
    await legacy('forecast', 'failed', '2026-11-20T14:00:00.000Z#2', { startedAt: { S: '2026-11-20T13:59:00.000Z' }, endedAt: { S: '2026-11-20T14:00:00.000Z' }, updatedAt: { S: '2026-11-20T14:00:00.000Z' }, attempts: { N: '3' } });
    expect(await store.transitionMany([{ runId: 'old', stage: 'forecast', status: StageStatus.Running, at: '2026-11-20T13:30:00Z' }])).toEqual([{ applied: false }]);
    expect(await store.transitionMany([{ runId: 'old', stage: 'forecast', status: StageStatus.Running, at: '2026-11-20T14:30:00Z' }])).toEqual([{ applied: true }]);
    expect((await store.getRun('old'))?.stages.find((s) => s.stage === 'forecast')).toEqual({ stage: 'forecast', status: 'running', attempts: 4, startedAt: '2026-11-20T14:30:00.000Z', updatedAt: '2026-11-20T14:30:00.000Z' });
  });

  it('indexes the waiting runs of a run table an earlier version wrote, once, from the run listing', async () => {
    const { store, tableName } = await freshStore();
    const land = (runId: string): Promise<unknown> => store.recordLanding({ runId, dataset: 'traffic', landedAt: '2026-11-20T12:00:00Z', object: { bucket: 'tributary-raw', key: runId, etag: 'e', size: 1 } });
    for (const id of ['new', 'legacy', 'done']) await land(id);
    await store.transition({ runId: 'new', stage: 'register-landing', status: StageStatus.Succeeded, at: '2026-11-20T12:00:01Z' });
    await store.transition({ runId: 'done', stage: 'register-landing', status: StageStatus.Succeeded, at: '2026-11-20T12:00:01Z' });
    await store.transition({ runId: 'done', stage: 'announce-crawl', status: StageStatus.Succeeded, at: '2026-11-20T12:00:02Z' });
    // As an earlier version left the table: no index items, and a run whose summary is in its own fields.
    await server.client.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: 'WAIT#traffic#register-landing#succeeded' }, sk: { S: 'new' } } }));
    await server.client.send(new UpdateItemCommand({
      TableName: tableName, Key: { pk: { S: 'RUN#legacy' }, sk: { S: 'RUN' } },
      UpdateExpression: 'SET lastStage = :s, lastStatus = :st, lastVersion = :v REMOVE stagesInRunItem',
      ExpressionAttributeValues: { ':s': { S: 'register-landing' }, ':st': { S: 'succeeded' }, ':v': { S: '2026-11-20T12:00:01.000Z#2' } },
    }));
    const upgraded = new DynamoDbRunStore({ client: server.client, tableName });
    expect((await upgraded.listRunsIn('traffic', IndexedRunStates.AwaitingRawCrawl)).map((r) => r.runId)).toEqual(['legacy', 'new']);
    // Indexed once: later lists, by this store or another, query the index only.
    await withCommandsSent(async (sent) => {
      await upgraded.listRunsIn('traffic', IndexedRunStates.AwaitingRawCrawl);
      await new DynamoDbRunStore({ client: server.client, tableName }).listRunsIn('traffic', IndexedRunStates.AwaitingRawCrawl);
      expect(sent.filter((c) => c === 'QueryCommand')).toHaveLength(2);
    });
    // The legacy run leaves the state like any other: the transition deletes its index item itself.
    await upgraded.transition({ runId: 'legacy', stage: 'announce-crawl', status: StageStatus.Succeeded, at: '2026-11-20T12:00:03Z' });
    expect((await server.client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'WAIT#traffic#register-landing#succeeded' }, sk: { S: 'legacy' } }, ConsistentRead: true }))).Item).toBeUndefined();
    expect((await upgraded.listRunsIn('traffic', IndexedRunStates.AwaitingRawCrawl)).map((r) => r.runId)).toEqual(['new']);
  });

  it('leaves out and deletes an index item whose run moved on, and keeps one a transition is still writing', async () => {
    const { store, tableName } = await freshStore();
    for (const runId of ['moved', 'inflight']) {
      await store.recordLanding({ runId, dataset: 'traffic', landedAt: '2026-11-20T12:00:00Z', object: { bucket: 'tributary-raw', key: runId, etag: 'e', size: 1 } });
      await store.transition({ runId, stage: 'announce-crawl', status: StageStatus.Succeeded, at: '2026-11-20T12:00:05Z' });
    }
    const item = (runId: string, version: string) => ({ pk: { S: 'WAIT#traffic#register-landing#succeeded' }, sk: { S: runId }, runId: { S: runId }, version: { S: version } });
    // A crash after the item was put, before the run item was written (older than the run's state),
    // and an item put by a transition whose run-item write is still to come (newer).
    await server.client.send(new PutItemCommand({ TableName: tableName, Item: item('moved', '2026-11-20T12:00:01.000Z#2') }));
    await server.client.send(new PutItemCommand({ TableName: tableName, Item: item('inflight', '2026-11-20T12:00:09.000Z#2') }));
    expect(await store.listRunsIn('traffic', IndexedRunStates.AwaitingRawCrawl)).toEqual([]);
    const exists = async (runId: string): Promise<boolean> => (await server.client.send(new GetItemCommand({ TableName: tableName, Key: { pk: item(runId, '').pk, sk: item(runId, '').sk }, ConsistentRead: true }))).Item !== undefined;
    expect(await exists('moved')).toBe(false);
    expect(await exists('inflight')).toBe(true);
  });

  it('reports a missing table as poison', async () => {
    const store = new DynamoDbRunStore({ client: server.client, tableName: 'no-such-table' });
    await expect(store.getRun('r1')).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/ResourceNotFoundException/) });
  });
});
