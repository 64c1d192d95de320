import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

const BIN = path.join(__dirname, '..', '..', '..', '..', 'infra', 'operator', 'cli', 'bin.cjs');
const env = { ...process.env, NODE_NO_WARNINGS: '1', POWERTOOLS_LOG_LEVEL: 'WARN' };

function cli(home: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args, '--home', home], { encoding: 'utf8', env, timeout: 180_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function json(text: string): unknown {
  return JSON.parse(text);
}

describe('tributary CLI', () => {
  let home: string;
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'tributary-cli-'));
    home = path.join(work, 'home');
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('refuses to train before the dataset has a refined table, saying what to do', () => {
    const trained = cli(path.join(work, 'empty-home'), 'train', 'traffic');
    expect(trained.code).toBe(1);
    expect(trained.stderr).toMatch(/dataset traffic has no refined table yet: drop its files .* before training/);
  });

  it('generates a sample, drops it, waits, and answers runs, run, query and dlq', () => {
    const sample = cli(home, 'sample', 'traffic', '--out', path.join(work, 'sample'), '--sensors', '3', '--hours', '4', '--seed', '5');
    expect(sample.code).toBe(0);
    const valid = Number(/\((\d+) valid readings/.exec(sample.stdout)?.[1]);
    expect(valid).toBeGreaterThan(0);
    expect(cli(home, 'drop', path.join(work, 'sample', 'traffic'), '--dataset', 'traffic').stdout).toMatch(/^dropped \d+ file\(s\)/);
    const waited = cli(home, 'wait', '--timeout', '170');
    expect(waited.stdout).toMatch(/quiescent: every run done, no delivery dead-lettered/);
    expect(waited.code).toBe(0);
    const runs = json(cli(home, 'runs', '--json').stdout);
    expect(Array.isArray(runs) && runs.length > 0).toBe(true);
    const statuses = new Set((runs as { lastStage: string; lastStatus: string }[]).map((r) => `${r.lastStage}:${r.lastStatus}`));
    expect([...statuses]).toEqual(['forecast:succeeded']);
    const count = json(cli(home, 'query', 'SELECT count(*) AS n FROM tributary_refined.traffic', '--json').stdout);
    expect(count).toEqual([{ n: String(valid) }]);
    const tables = json(cli(home, 'query', 'SELECT table_schema, table_name FROM information_schema.tables ORDER BY 1, 2', '--json').stdout);
    expect(tables).toEqual(expect.arrayContaining([{ table_schema: 'tributary_refined', table_name: 'traffic' }, { table_schema: 'tributary_forecast', table_name: 'traffic' }]));
    const first = (runs as { runId: string; eventTimeRange: { min: string; max: string } }[])[0];
    const shown = cli(home, 'run', first?.runId ?? '');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/lineage \(refined partition -> forecast outputs\)\n.*partition/);
    // Its lineage is the partitions its readings feed: its event hours, and the next one within the 30-minute lookback.
    const fed = new Set<string>();
    for (let t = Date.parse(first?.eventTimeRange.min ?? ''); t <= Date.parse(first?.eventTimeRange.max ?? '') + 30 * 60_000; t += 60_000) {
      const d = new Date(t).toISOString();
      fed.add(`year=${d.slice(0, 4)}/month=${d.slice(5, 7)}/day=${d.slice(8, 10)}/hour=${d.slice(11, 13)}`);
    }
    expect(new Set(shown.stdout.match(/year=\d{4}\/month=\d{2}\/day=\d{2}\/hour=\d{2}(?=\s)/g))).toEqual(fed);
    expect(cli(home, 'dlq', 'list').stdout).toMatch(/\(no rows\)/);
  });

  it('trains only on enough history, saying how much there is', () => {
    const trained = cli(home, 'train', 'traffic');
    expect(trained.code).toBe(1);
    expect(trained.stderr).toMatch(/need more than one season \(96 steps of 15m\) of history before the backtest period; the data spans \d+ steps/);
  });

  it('replays the archive without changing the tables', () => {
    const before = cli(home, 'query', 'SELECT count(*) AS n, sum(currentspeed) AS s FROM tributary_refined.traffic', '--json').stdout;
    const replay = cli(home, 'replay', '--from', '2000-01-01T00:00:00Z', '--to', '2100-01-01T00:00:00Z');
    expect(replay.stdout).toMatch(/replay replay-\d+ COMPLETED/);
    expect(replay.code).toBe(0);
    expect(cli(home, 'query', 'SELECT count(*) AS n, sum(currentspeed) AS s FROM tributary_refined.traffic', '--json').stdout).toBe(before);
  });

  it('fails with one clear line and a non-zero exit on bad input', () => {
    const missing = cli(home, 'drop', path.join(work, 'nope'), '--dataset', 'traffic');
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(`tributary: no such file or folder: ${path.join(work, 'nope')}`);
    const escape = cli(home, 'query', "SELECT * FROM read_csv('/etc/passwd')");
    expect(escape.code).toBe(1);
    expect(escape.stderr.trim().split('\n')).toHaveLength(1);
    expect(escape.stderr).toMatch(/^tributary: .*read_csv/);
    const timeout = cli(home, 'wait', '--timeout', 'soon');
    expect(timeout.code).not.toBe(0);
    expect(timeout.stderr).toMatch(/--timeout must be a whole number/);
    expect(cli(home, 'run', 'run-does-not-exist').stderr.trim()).toBe('tributary: no run run-does-not-exist (list them with `tributary runs`)');
  });

  it('quarantines a malformed file and `wait` exits 1', async () => {
    const bad = path.join(work, 'bad');
    await mkdir(bad, { recursive: true });
    await writeFile(path.join(bad, 'broken.jsonl'), '{"uniqueId":"S1"}\nthis is not json\n');
    const dropped = cli(home, 'drop', path.join(bad, 'broken.jsonl'), '--dataset', 'traffic');
    const key = /s3:\/\/tributary-raw\/(traffic\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/broken\.jsonl)$/m.exec(dropped.stdout)?.[1] ?? '';
    expect(key).not.toBe('');
    const waited = cli(home, 'wait', '--timeout', '120');
    expect(waited.code).toBe(1);
    expect(waited.stderr).toMatch(/1 run\(s\) failed, stalled or quarantined \(1 input\):\n {2}register-landing input: traffic\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/broken.jsonl: .*→ tributary run /);
    expect(existsSync(path.join(home, 'lake', 'quarantine', ...key.split('/')))).toBe(true);
    const alerts = (await readFile(path.join(home, 'alerts.jsonl'), 'utf8')).trim().split('\n').map((l) => json(l));
    expect(alerts).toEqual([expect.objectContaining({ detail: expect.objectContaining({ stage: 'register-landing', message: expect.stringContaining(`${key} is not valid JSON lines: line 2 is not valid JSON`) }) })]);
  });

  it('quarantines a file whose name holds a control character, copied straight into lake/raw, with an alert, and `wait` exits 1', async () => {
    const badHome = path.join(work, 'bad-name-home');
    await mkdir(path.join(badHome, 'lake', 'raw', 'traffic', '2026', '01', '05', '07'), { recursive: true });
    await writeFile(path.join(badHome, 'lake', 'raw', 'traffic', '2026', '01', '05', '07', 'bad\u0001name.jsonl'), '{"uniqueId":"S1"}\n');
    const waited = cli(badHome, 'wait', '--timeout', '120');
    expect(waited.code).toBe(1);
    expect(waited.stderr).toMatch(/1 run\(s\) failed, stalled or quarantined \(1 input\)/);
    expect(existsSync(path.join(badHome, 'lake', 'quarantine', 'traffic', '2026', '01', '05', '07', 'bad%01name.jsonl'))).toBe(true);
    const alerts = (await readFile(path.join(badHome, 'alerts.jsonl'), 'utf8')).trim().split('\n').map((l) => json(l));
    expect(alerts).toEqual([expect.objectContaining({ detail: expect.objectContaining({ stage: 'register-landing', errorClass: 'input', message: expect.stringContaining('raw file "traffic/2026/01/05/07/bad\\u0001name.jsonl" has a name that is not a valid object key') }) })]);
  });

  it('serves other commands while `up` runs', async () => {
    const upHome = path.join(work, 'up-home');
    const up: ChildProcess = spawn(process.execPath, [BIN, 'up', '--port', '0', '--home', upHome], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const upFile = path.join(upHome, 'state', 'up.json');
      for (let i = 0; i < 200 && !existsSync(upFile); i++) await new Promise((r) => setTimeout(r, 100));
      expect(existsSync(upFile)).toBe(true);
      cli(upHome, 'sample', 'traffic', '--out', path.join(work, 'up-sample'), '--sensors', '2', '--hours', '2', '--seed', '9');
      cli(upHome, 'drop', path.join(work, 'up-sample', 'traffic'), '--dataset', 'traffic');
      const waited = cli(upHome, 'wait', '--timeout', '120');
      expect(waited.code).toBe(0);
      const count = json(cli(upHome, 'query', 'SELECT count(*) AS n FROM tributary_forecast.traffic', '--json').stdout);
      expect(Number((count as { n: string }[])[0]?.n)).toBeGreaterThan(0);
      expect((json(cli(upHome, 'runs', '--json').stdout) as unknown[]).length).toBeGreaterThan(0);
    } finally {
      up.kill('SIGTERM');
      await new Promise((r) => up.once('exit', r));
    }
  });
});
