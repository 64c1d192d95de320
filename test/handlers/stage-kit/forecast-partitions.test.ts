import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { forecastTable, replaceForecastPartitions } from '../../../handlers/stage-kit/forecast-partitions';
import { DynamoDbJobStore } from '../../../infra/dynamodb/dynamodb-job-store';
import { DynamoDbRunStore } from '../../../infra/dynamodb/dynamodb-run-store';
import { startDynalite, type DynaliteServer } from '../../../infra/emulators/dynamodb/dynalite-server';
import { ensureTables } from '../../../infra/emulators/dynamodb/ensure-tables';
import { FolderObjectStore } from '../../../infra/emulators/object-store/folder-object-store';
import { localTopology } from '../../../infra/local/runtime/embedded-runtime';

const BUCKET = localTopology.buckets.forecast;
const KEYS = ['year', 'month', 'day', 'hour'];
const O5 = Date.parse('2026-04-01T05:00:00.000Z');
const O6 = Date.parse('2026-04-01T06:00:00.000Z');
const PATH5 = 'year=2026/month=04/day=01/hour=05';
const PATH6 = 'year=2026/month=04/day=01/hour=06';

let home: string;
let server: DynaliteServer;
let deps: Parameters<typeof replaceForecastPartitions>[0];

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'tributary-forecast-partitions-'));
  server = await startDynalite({ home, sweepIntervalMs: 0 });
  await ensureTables(server.client, { runs: 'runs', idempotency: server.tables.idempotency });
  deps = { objects: new FolderObjectStore({ home }), jobs: new DynamoDbJobStore({ client: server.client, tableName: 'runs' }), runs: new DynamoDbRunStore({ client: server.client, tableName: 'runs' }), topology: localTopology };
});
afterAll(async () => {
  await server.close();
  await rm(home, { recursive: true, force: true });
});

const keys = async (prefix: string): Promise<string[]> => (await deps.objects.listObjects(BUCKET, prefix)).map((o) => o.key.slice(prefix.length)).sort();
const body = async (key: string): Promise<string> => (await deps.objects.getObject(BUCKET, key)).toString('utf8');

describe('replaceForecastPartitions', () => {
  it('writes the covered origins that have rows, removes those without, and leaves no staged file', async () => {
    await deps.objects.putObject(BUCKET, `traffic/${PATH5}/forecast.jsonl`, 'earlier 5\n');
    await deps.objects.putObject(BUCKET, `traffic/${PATH6}/forecast.jsonl`, 'earlier 6\n');
    const replaced = await replaceForecastPartitions(deps, { dataset: 'traffic', keys: KEYS, jobName: 'job-b', generation: '2026-04-02T00:00:00.000Z/b', origins: [O5, O6], rows: new Map([[O5, ['{"row":1}', '{"row":2}']]]) });
    expect(replaced).toEqual({ written: [O5], removed: [O6], rows: 2 });
    expect(await keys(`traffic/${PATH5}/`)).toEqual(['job-b-forecast.jsonl']);
    expect(await body(`traffic/${PATH5}/job-b-forecast.jsonl`)).toBe('{"row":1}\n{"row":2}\n');
    expect(await keys(`traffic/${PATH6}/`)).toEqual([]);
    expect(await keys('_transform/job-b/')).toEqual([]);
  });

  it('changes nothing a newer job covers (with rows or without), and says so', async () => {
    const replaced = await replaceForecastPartitions(deps, { dataset: 'traffic', keys: KEYS, jobName: 'job-a', generation: '2026-04-01T00:00:00.000Z/a', origins: [O5, O6], rows: new Map([[O5, ['{"row":"old"}']], [O6, ['{"row":"old"}']]]) });
    expect(replaced).toEqual({ written: [], removed: [], rows: 0 });
    expect(await keys(`traffic/${PATH5}/`)).toEqual(['job-b-forecast.jsonl']);
    expect(await keys(`traffic/${PATH6}/`)).toEqual([]);
    expect(await keys('_transform/job-a/')).toEqual([]);
  });

  it('orders jobs by the generation in the job store, under the forecast table key', async () => {
    expect(await deps.jobs.heldPartitions(forecastTable('traffic'), [PATH5, PATH6], '2026-04-02T00:00:00.000Z/b')).toEqual(new Set([PATH5, PATH6]));
  });
});
