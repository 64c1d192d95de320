import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { DynamoDbJobStore } from '../../../infra/dynamodb/dynamodb-job-store';
import { startDynalite, type DynaliteServer } from '../../../infra/emulators/dynamodb/dynalite-server';
import { ensureTables } from '../../../infra/emulators/dynamodb/ensure-tables';
import { jobStoreContract } from '../../handlers/ports/job-store.contract';

let home: string;
let server: DynaliteServer;
let tables = 0;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'tributary-job-store-'));
  server = await startDynalite({ home, sweepIntervalMs: 0 });
});
afterAll(async () => {
  await server.close();
  await rm(home, { recursive: true, force: true });
});

jobStoreContract('DynamoDbJobStore on dynalite', async () => {
  const tableName = `jobs-${++tables}`;
  await ensureTables(server.client, { runs: tableName, idempotency: server.tables.idempotency });
  return { store: new DynamoDbJobStore({ client: server.client, tableName }), close: async () => undefined };
});
