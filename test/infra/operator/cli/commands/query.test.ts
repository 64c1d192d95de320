import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { QueryInterruptedError } from '../../../../../infra/operator/cli/query-timeout';
import { openReadSide } from '../../../../../infra/operator/read-side/read-side';

const BIN = path.join(__dirname, '..', '..', '..', '..', '..', 'infra', 'operator', 'cli', 'bin.cjs');
const env = { ...process.env, NODE_NO_WARNINGS: '1', POWERTOOLS_LOG_LEVEL: 'WARN' };
/** A cross join of 10^12 rows: no machine finishes it, so only the timeout can end it. */
const ENDLESS = 'SELECT count(*) AS n FROM unnest(sequence(1, 1000000)) AS a(x) CROSS JOIN unnest(sequence(1, 1000000)) AS b(y) WHERE x + y = 7';

describe('tributary query --timeout', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'tributary-query-'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('interrupts DuckDB once the timeout passes, and the engine is usable and closable after', async () => {
    const side = await openReadSide(home);
    try {
      await expect(side.query(ENDLESS, { timeoutMs: 300 })).rejects.toBeInstanceOf(QueryInterruptedError);
      expect(await side.query('SELECT 1 + 1 AS two', { timeoutMs: 60_000 })).toEqual([{ two: '2' }]);
    } finally {
      await side.close();
    }
  });

  it('exits 1 with one line naming the timeout', () => {
    const r = spawnSync(process.execPath, [BIN, 'query', ENDLESS, '--timeout', '0.5', '--home', home], { encoding: 'utf8', env, timeout: 120_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('tributary: query interrupted after 0.5 s (--timeout 0.5); narrow it or give a longer --timeout\n');
    const bad = spawnSync(process.execPath, [BIN, 'query', 'SELECT 1', '--timeout', '0', '--home', home], { encoding: 'utf8', env, timeout: 120_000 });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--timeout must be a number of seconds > 0, got "0"/);
  });
});
