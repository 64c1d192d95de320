import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbJobStore } from '../../../infra/dynamodb/dynamodb-job-store';
import { DynamoDbRunStore } from '../../../infra/dynamodb/dynamodb-run-store';
import { PowertoolsIdempotency } from '../../../infra/dynamodb/idempotency';
import { ensureTables } from '../../../infra/emulators/dynamodb/ensure-tables';
import { IdempotencyInProgressError } from '../../../handlers/ports/idempotency-errors';
import { jobStoreContract } from '../../handlers/ports/job-store.contract';
import { runStoreContract } from '../../handlers/ports/run-store.contract';
import { describeOnMoto } from '../aws/moto/moto-server';

/**
 * The DynamoDB run, job and idempotency stores over the wire, against moto's DynamoDB with the
 * unmodified SDK client and the table definitions the stack deploys (`infra/dynamodb/tables.ts`).
 */
describeOnMoto('DynamoDB stores over the wire (moto server)', (moto) => {
  let tables = 0;
  async function freshTables(): Promise<{ client: DynamoDBClient; runs: string; idempotency: string }> {
    const client = new DynamoDBClient(moto().clientConfig);
    const n = ++tables;
    const names = { runs: `runs-${n}`, idempotency: `idempotency-${n}` };
    await ensureTables(client, names);
    return { client, ...names };
  }

  runStoreContract('DynamoDbRunStore on moto', async () => {
    const { client, runs } = await freshTables();
    return { store: new DynamoDbRunStore({ client, tableName: runs }), close: async () => client.destroy() };
  });

  jobStoreContract('DynamoDbJobStore on moto', async () => {
    const { client, runs } = await freshTables();
    return { store: new DynamoDbJobStore({ client, tableName: runs }), close: async () => client.destroy() };
  });

  it('PowertoolsIdempotency runs a business key once, returns the stored result, and refuses a concurrent duplicate as in progress', async () => {
    const { client, idempotency: tableName } = await freshTables();
    const idempotency = new PowertoolsIdempotency({ client, tableName });
    let calls = 0;
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const register = idempotency.makeIdempotent(async (input: { key: string; wait?: boolean }) => {
      calls += 1;
      if (input.wait === true) await gate;
      return { runId: `run-${input.key}` };
    }, { name: 'register-landing', keyPath: 'key', expiresAfterSeconds: 600, inProgressWaitSeconds: 0 });
    expect(await register({ key: 'a' })).toEqual({ runId: 'run-a' });
    expect(await register({ key: 'a' })).toEqual({ runId: 'run-a' });
    const slow = register({ key: 'b', wait: true });
    // Only once the first execution runs (its in-progress record saved) is the second a duplicate of it;
    // sent at once, either request's record may land first over the wire.
    while (calls < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(register({ key: 'b' })).rejects.toBeInstanceOf(IdempotencyInProgressError);
    release();
    expect(await slow).toEqual({ runId: 'run-b' });
    expect(calls).toBe(2);
    client.destroy();
  });
});
