import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  InvalidRequestException,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type StartQueryExecutionCommandInput,
} from '@aws-sdk/client-athena';
import * as http from 'node:http';
import { AthenaQueryEngine } from '../../../../infra/aws/adapters/athena-query-engine';
import { EventBridgeEndpoint } from '../../../../infra/emulators/bus/eventbridge-endpoint';
import { AthenaJsonService } from '../../../../infra/emulators/query/athena-json-service';
import { runQuery } from '../../../../handlers/ports/query-engine';
import { queryEngineContract } from '../../../handlers/ports/query-engine.contract';
import { BusFixture } from '../bus/bus-test-helpers';
import { makeLake, type Lake } from './query-fixtures';
import { allowViolations } from '../../aws/api-model/violation-log';

// The endpoint must refuse requests that break Athena's API model itself: these tests send them on purpose.
allowViolations(/^Athena \w+ request breaks the AWS API model: /);

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
/** A query that never ends on its own (10^15 rows), in bounded memory: only a stop ends it. */
const ENDLESS = 'SELECT sum(a.x + b.x + c.x) AS s FROM UNNEST(sequence(1, 100000)) AS a(x) CROSS JOIN UNNEST(sequence(1, 100000)) AS b(x) CROSS JOIN UNNEST(sequence(1, 100000)) AS c(x)';

/** The local engine behind Athena's JSON protocol on the EventBridge endpoint's port, and an unmodified Athena client on it. */
async function serve(lake: Lake, buses: BusFixture): Promise<{ client: AthenaClient; endpoint: EventBridgeEndpoint; close: () => Promise<void> }> {
  const endpoint = await EventBridgeEndpoint.start(await buses.open(), 0, { athena: new AthenaJsonService(lake.engine, { workGroups: ['tributary', 'primary'] }) });
  const client = new AthenaClient({ endpoint: endpoint.url, region: 'us-east-1', credentials });
  return {
    client,
    endpoint,
    close: async () => {
      client.destroy();
      await endpoint.close();
    },
  };
}

const contractBuses = new BusFixture();
afterAll(() => contractBuses.cleanup());
queryEngineContract('AthenaQueryEngine over the wire on the local Athena endpoint (unmodified @aws-sdk/client-athena)', async () => {
  const lake = await makeLake();
  const served = await serve(lake, contractBuses);
  return {
    engine: new AthenaQueryEngine(served.client, { workGroups: ['tributary'] }),
    cleanup: async () => {
      await served.close();
      await lake.cleanup();
    },
  };
});

describe('Athena JSON endpoint', () => {
  const buses = new BusFixture();
  let lake: Lake;
  let served: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    lake = await makeLake({ connections: 1 }); // one at a time: a query started behind a running one stays QUEUED
    served = await serve(lake, buses);
  });
  afterAll(async () => {
    await served.close();
    await lake.cleanup();
    await buses.cleanup();
  });
  const start = (input: Partial<StartQueryExecutionCommandInput>) => served.client.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', WorkGroup: 'primary', ...input }));
  /** The refusal a call gets: Athena's InvalidRequestException with its AthenaErrorCode and message. */
  const refusal = async (call: Promise<unknown>): Promise<{ name: string; AthenaErrorCode?: string; message: string; status?: number }> => {
    const error: unknown = await call.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestException);
    const e = error as InvalidRequestException;
    return { name: e.name, AthenaErrorCode: e.AthenaErrorCode, message: e.message, status: e.$metadata.httpStatusCode };
  };

  it("enforces Athena's ClientRequestToken length (32-128): refine's 23-character token is refused", async () => {
    expect(await refusal(start({ ClientRequestToken: 'refine-0123456789abcdef' }))).toEqual({
      name: 'InvalidRequestException',
      AthenaErrorCode: 'INVALID_INPUT',
      message: "1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 32",
      status: 400,
    });
    expect((await refusal(start({ ClientRequestToken: 'x'.repeat(129) }))).message).toMatch(/clientRequestToken.*less than or equal to 128/);
    const a = await start({ ClientRequestToken: 't'.repeat(32) });
    expect((await start({ ClientRequestToken: 't'.repeat(32) })).QueryExecutionId).toBe(a.QueryExecutionId);
    expect((await refusal(start({ ClientRequestToken: 't'.repeat(32), QueryString: 'SELECT 2' }))).message).toMatch(/different request/);
  });

  it('enforces the query string length, workgroup and database constraints, and names the member', async () => {
    expect((await refusal(start({ QueryString: '' }))).message).toMatch(/'queryString'.*greater than or equal to 1/);
    expect((await refusal(start({ QueryString: `SELECT 1 --${'x'.repeat(262_144)}` }))).message).toMatch(/'queryString'.*less than or equal to 262144/);
    expect((await refusal(start({ WorkGroup: 'no spaces!' }))).message).toMatch(/'workGroup'.*pattern/);
    expect((await refusal(start({ WorkGroup: 'someone-else' }))).message).toBe('WorkGroup someone-else is not found.');
    expect((await refusal(start({ QueryExecutionContext: { Database: 'd'.repeat(256) } }))).message).toMatch(/'queryExecutionContext.database'.*less than or equal to 255/);
    expect((await refusal(start({ ExecutionParameters: [] }))).message).toMatch(/'executionParameters'/);
  });

  it('pages GetQueryResults by MaxResults (1-1000) with NextToken, the header first', async () => {
    const execution = await runQuery(new AthenaQueryEngine(served.client, { workGroups: ['primary'] }), { QueryString: 'SELECT x FROM UNNEST(sequence(1, 2500)) AS t(x) ORDER BY x' }, { timeoutMs: 20_000 });
    const id = execution.QueryExecutionId;
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await served.client.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token }));
      pages.push((page.ResultSet?.Rows ?? []).map((r) => r.Data?.[0]?.VarCharValue ?? ''));
      token = page.NextToken;
    } while (token !== undefined);
    expect(pages.map((p) => p.length)).toEqual([1000, 1000, 501]);
    expect(pages.flat()).toEqual(['x', ...Array.from({ length: 2500 }, (_, i) => String(i + 1))]);
    expect((await refusal(served.client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1001 })))).message).toMatch(/'maxResults'.*less than or equal to 1000/);
    expect((await refusal(served.client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 0 })))).message).toMatch(/'maxResults'.*greater than or equal to 1/);
    expect((await refusal(served.client.send(new GetQueryExecutionCommand({ QueryExecutionId: 'no-such-query' })))).message).toMatch(/not found/);
  });

  it('stops a running and a queued query (both end CANCELLED, with their state-change events); later queries still run', async () => {
    const running = (await start({ QueryString: ENDLESS })).QueryExecutionId ?? '';
    const queued = (await start({ QueryString: 'SELECT 2' })).QueryExecutionId ?? '';
    await served.client.send(new StopQueryExecutionCommand({ QueryExecutionId: queued }));
    await served.client.send(new StopQueryExecutionCommand({ QueryExecutionId: running }));
    await lake.engine.whenQueryFinished(running);
    await lake.engine.whenQueryFinished(queued);
    for (const id of [running, queued]) {
      expect((await served.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution?.Status?.State).toBe('CANCELLED');
      const states = lake.bus.entries.filter((e) => e.Detail?.includes(id)).map((e) => (JSON.parse(e.Detail ?? '{}') as { currentState: string }).currentState);
      expect(states.at(-1)).toBe('CANCELLED');
    }
    expect((await refusal(served.client.send(new GetQueryResultsCommand({ QueryExecutionId: running })))).message).toMatch(/CANCELLED/);
    const after = await runQuery(new AthenaQueryEngine(served.client, { workGroups: ['primary'] }), { QueryString: 'SELECT 3' }, { timeoutMs: 20_000 });
    expect(after.Status.State).toBe('SUCCEEDED');
    await expect(served.client.send(new StopQueryExecutionCommand({ QueryExecutionId: after.QueryExecutionId }))).resolves.toBeDefined();
  });

  it('answers only loopback Host names (a DNS-rebinding Host gets 403)', async () => {
    const status = (host: string): Promise<number | undefined> =>
      new Promise((resolve, reject) => {
        const body = '{"QueryExecutionId":"x"}';
        const request = http.request({ host: '127.0.0.1', port: served.endpoint.port, method: 'POST', path: '/', headers: { host, 'x-amz-target': 'AmazonAthena.GetQueryExecution', 'content-type': 'application/x-amz-json-1.1' } }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode));
        });
        request.on('error', reject);
        request.end(body);
      });
    expect(await status('evil.example')).toBe(403);
    expect(await status(`localhost:${served.endpoint.port}`)).toBe(400);
  });
});
