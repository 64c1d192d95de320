import { access, mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { DynamoDbRunStore } from '../../../../infra/dynamodb/dynamodb-run-store';
import { endpointFile, startDynalite } from '../../../../infra/emulators/dynamodb/dynalite-server';
import { openLocalDynamoDb } from '../../../../infra/emulators/dynamodb/open-local-dynamodb';

describe('openLocalDynamoDb', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'tributary-open-ddb-'));
  });
  afterEach(async () => rm(home, { recursive: true, force: true }));

  it('uses the server another holder of the home publishes, and starts its own once that one is gone', async () => {
    const owner = await startDynalite({ home, sweepIntervalMs: 0 });
    await new DynamoDbRunStore({ client: owner.client }).recordLanding({
      runId: 'r1', dataset: 'traffic', landedAt: '2026-11-20T12:00:00Z', object: { bucket: 'tributary-raw', key: 'a', etag: 'e', size: 1 },
    });
    const guest = await openLocalDynamoDb({ home, sweepIntervalMs: 0 });
    expect(guest).toMatchObject({ shared: true, endpoint: owner.endpoint, tables: owner.tables });
    expect((await new DynamoDbRunStore({ client: guest.client }).getRun('r1'))?.run.object.key).toBe('a');
    await guest.close();
    expect((await new DynamoDbRunStore({ client: owner.client }).listRuns()).runs).toHaveLength(1);
    await owner.close();
    await expect(access(endpointFile(home))).rejects.toThrow();
    const own = await openLocalDynamoDb({ home, sweepIntervalMs: 0 });
    try {
      expect(own.shared).toBe(false);
      expect((await new DynamoDbRunStore({ client: own.client }).getRun('r1'))?.run.runId).toBe('r1');
    } finally {
      await own.close();
    }
  });
});
