import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, InvalidRequestException, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { EmbeddedRuntime } from '../../../../infra/local/runtime/embedded-runtime';

/** Polls GetQueryExecution as user code does, until the query has ended. */
async function ended(client: AthenaClient, id: string): Promise<string> {
  for (;;) {
    const state = (await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution?.Status?.State ?? '';
    if (state !== 'QUEUED' && state !== 'RUNNING') return state;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('tributary up serves Athena next to EventBridge', () => {
  let home: string;
  beforeAll(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'trib-athena-'));
  });
  afterAll(async () => {
    await fs.rm(home, { recursive: true, force: true });
  });

  it("runs the user's own unmodified Athena SDK code against the endpoint's port: read-only, in workgroup primary", async () => {
    const rt = await EmbeddedRuntime.open({ home, consoleAlerts: false, watch: false, endpointPort: 0 });
    const client = new AthenaClient({ endpoint: rt.endpoint?.url ?? '', region: 'us-east-1', credentials: { accessKeyId: 'any', secretAccessKey: 'any' } });
    try {
      const start = (QueryString: string, WorkGroup?: string) => client.send(new StartQueryExecutionCommand({ QueryString, WorkGroup }));
      const { QueryExecutionId = '' } = await start('SELECT 6 * 7 AS answer');
      expect(await ended(client, QueryExecutionId)).toBe('SUCCEEDED');
      const results = await client.send(new GetQueryResultsCommand({ QueryExecutionId }));
      expect(results.ResultSet?.Rows?.map((r) => r.Data?.map((d) => d.VarCharValue))).toEqual([['answer'], ['42']]);
      const write = await start("CREATE TABLE tributary_refined.mine AS SELECT 1 AS x");
      expect(await ended(client, write.QueryExecutionId ?? '')).toBe('FAILED');
      await expect(start('SELECT 1', 'tributary')).rejects.toBeInstanceOf(InvalidRequestException);
    } finally {
      client.destroy();
      await rt.close();
    }
  });
});
