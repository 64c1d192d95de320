import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { QueryState, StatementType } from '../../../../handlers/ports/query-engine';
import { QueryJournal } from '../../../../infra/emulators/query/query-journal';
import { EmbeddedRuntime } from '../../../../infra/local/runtime/embedded-runtime';

describe('EmbeddedRuntime.open after a crash', () => {
  let home: string;

  beforeAll(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'trib-recovery-'));
  });

  afterAll(async () => {
    await fs.rm(home, { recursive: true, force: true });
  });

  it('runs the queries the dead process left running again and counts them before it is quiescent', async () => {
    const id = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
    const sql = 'SELECT count(*) AS n FROM range(1000)';
    await new QueryJournal(home).save({
      input: { QueryString: sql, WorkGroup: 'primary' },
      execution: { QueryExecutionId: id, Query: sql, StatementType: StatementType.Dml, WorkGroup: 'primary', QueryExecutionContext: { Database: 'default' }, Status: { State: QueryState.Running, SubmissionDateTime: new Date() }, Statistics: {} },
      sequence: 2,
    });
    const rt = await EmbeddedRuntime.open({ home, consoleAlerts: false, watch: false });
    try {
      expect(await rt.waitUntilQuiescent({ timeoutMs: 30_000 })).toBe(true);
      expect((await rt.deps.query.getQueryExecution(id)).Status.State).toBe(QueryState.Succeeded);
    } finally {
      await rt.close();
    }
  });
});
