import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { QueryState } from '../../../../handlers/ports/query-engine';
import { EmbeddedRuntime } from '../../../../infra/local/runtime/embedded-runtime';

describe('Quiescence.trackQueries (the query port the embedded stages use)', () => {
  let home: string;
  let rt: EmbeddedRuntime;

  beforeAll(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'trib-quiescence-'));
    rt = await EmbeddedRuntime.open({ home, consoleAlerts: false, watch: false });
  });

  afterAll(async () => {
    await rt.close();
    await fs.rm(home, { recursive: true, force: true });
  });

  it('passes whenQueryFinished on, so runQuery wakes when the query ends rather than at its next poll', async () => {
    const port = rt.deps.query;
    expect(port.whenQueryFinished).toBeInstanceOf(Function);
    const { QueryExecutionId } = await port.startQueryExecution({ QueryString: 'SELECT 42 AS answer', WorkGroup: 'primary' });
    await port.whenQueryFinished?.(QueryExecutionId);
    expect((await port.getQueryExecution(QueryExecutionId)).Status.State).toBe(QueryState.Succeeded);
  });

  it('still waits for the queries it started before the pipeline counts as quiescent', async () => {
    const { QueryExecutionId } = await rt.deps.query.startQueryExecution({ QueryString: 'SELECT count(*) FROM range(1000)', WorkGroup: 'primary' });
    expect(await rt.waitUntilQuiescent({ timeoutMs: 30_000 })).toBe(true);
    expect((await rt.deps.query.getQueryExecution(QueryExecutionId)).Status.State).toBe(QueryState.Succeeded);
  });
});
