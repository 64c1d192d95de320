import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JobStore } from '../../../handlers/ports/job-store';
import { swapPartitions, type PartitionSwap } from '../../../handlers/stage-kit/swap-partitions';
import { DynamoDbJobStore } from '../../../infra/dynamodb/dynamodb-job-store';
import { startDynalite, type DynaliteServer } from '../../../infra/emulators/dynamodb/dynalite-server';
import { ensureTables } from '../../../infra/emulators/dynamodb/ensure-tables';
import { FolderObjectStore } from '../../../infra/emulators/object-store/folder-object-store';

const BUCKET = 'tributary-refined';
const OLD = '2026-01-01T00:00:01.000Z';
const NEW = '2026-01-01T00:00:02.000Z';

let home: string;
let server: DynaliteServer;
let objects: FolderObjectStore;
let jobs: DynamoDbJobStore;
let tables = 0;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'tributary-swap-'));
  server = await startDynalite({ home, sweepIntervalMs: 0 });
  objects = new FolderObjectStore({ home });
});
afterAll(async () => {
  await server.close();
  await rm(home, { recursive: true, force: true });
});
beforeEach(async () => {
  const tableName = `swap-${++tables}`;
  await ensureTables(server.client, { runs: tableName, idempotency: server.tables.idempotency });
  jobs = new DynamoDbJobStore({ client: server.client, tableName });
});

const table = (): string => `t${tables}`;
const swapOf = (job: string, hour: string): PartitionSwap => ({ path: `hour=${hour}`, stagedPrefix: `_staging/${table()}/${job}/hour=${hour}/`, livePrefix: `${table()}/hour=${hour}/` });
const keys = async (prefix: string): Promise<string[]> => (await objects.listObjects(BUCKET, prefix)).map((o) => o.key.slice(prefix.length));
const put = (key: string, body: string): Promise<unknown> => objects.putObject(BUCKET, key, body);

describe('swapPartitions (staged partitions replace live ones, newest writer wins)', () => {
  it('replaces every live file of each partition with the staged ones, under names carrying the job id', async () => {
    await put(`${table()}/hour=01/old-a.parquet`, 'old');
    await put(`${table()}/hour=01/old-b.parquet`, 'old');
    await put(`_staging/${table()}/job-1/hour=01/data_0.parquet`, 'new 01');
    await put(`_staging/${table()}/job-1/hour=02/data_0.parquet`, 'new 02');
    const swapped = await swapPartitions({ objects, jobs }, BUCKET, table(), 'job-1', OLD, [swapOf('job-1', '01'), swapOf('job-1', '02')]);
    expect(swapped).toEqual(['hour=01', 'hour=02']);
    expect(await keys(`${table()}/hour=01/`)).toEqual(['job-1-data_0.parquet']);
    expect((await objects.getObject(BUCKET, `${table()}/hour=01/job-1-data_0.parquet`)).toString()).toBe('new 01');
    expect(await keys(`${table()}/hour=02/`)).toEqual(['job-1-data_0.parquet']);
    expect(await keys(`_staging/${table()}/job-1/`)).toEqual([]);
    // Run again after a crash: what was moved stays, nothing else changes.
    expect(await swapPartitions({ objects, jobs }, BUCKET, table(), 'job-1', OLD, [swapOf('job-1', '01'), swapOf('job-1', '02')])).toEqual(['hour=01', 'hour=02']);
    expect(await keys(`${table()}/hour=01/`)).toEqual(['job-1-data_0.parquet']);
  });

  it('leaves a partition a later job already claimed, and discards the staged files', async () => {
    expect(await jobs.claimPartition(table(), 'hour=01', NEW)).toBe(true);
    await put(`${table()}/hour=01/job-2-data_0.parquet`, 'newer');
    await put(`_staging/${table()}/job-1/hour=01/data_0.parquet`, 'older');
    await put(`_staging/${table()}/job-1/hour=02/data_0.parquet`, 'older 02');
    const swapped = await swapPartitions({ objects, jobs }, BUCKET, table(), 'job-1', OLD, [swapOf('job-1', '01'), swapOf('job-1', '02')]);
    expect(swapped).toEqual(['hour=02']);
    expect(await keys(`${table()}/hour=01/`)).toEqual(['job-2-data_0.parquet']);
    expect(await keys(`_staging/${table()}/job-1/`)).toEqual([]);
  });

  it('when a later job claims a partition during the swap, keeps its files and removes only its own', async () => {
    await put(`${table()}/hour=01/before.parquet`, 'before');
    await put(`_staging/${table()}/job-1/hour=01/data_0.parquet`, 'older');
    // The later job claims the partition and moves its file in right after this job's claim.
    const racing: JobStore = {
      putJob: (kind, id, record) => jobs.putJob(kind, id, record),
      getJob: (kind, id) => jobs.getJob(kind, id),
      heldPartitions: (t, partitions, generation) => jobs.heldPartitions(t, partitions, generation),
      claimPartition: async (t, partition, generation) => {
        const claimed = await jobs.claimPartition(t, partition, generation);
        await jobs.claimPartition(t, partition, NEW);
        await put(`${table()}/hour=01/job-2-data_0.parquet`, 'newer');
        return claimed;
      },
    };
    const swapped = await swapPartitions({ objects, jobs: racing }, BUCKET, table(), 'job-1', OLD, [swapOf('job-1', '01')]);
    expect(swapped).toEqual([]);
    // The later job's file stays; this job's moved file is gone; the later job's own swap removes `before`.
    expect(await keys(`${table()}/hour=01/`)).toEqual(['before.parquet', 'job-2-data_0.parquet']);
  });
});
