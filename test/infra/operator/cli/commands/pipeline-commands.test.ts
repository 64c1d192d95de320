import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

const BIN = path.join(__dirname, '..', '..', '..', '..', '..', 'infra', 'operator', 'cli', 'bin.cjs');

function cli(home: string, env: Record<string, string>, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args, '--home', home], { encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1', ...env }, timeout: 180_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('tributary wait progress', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'tributary-progress-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('prints line by line on a pipe, ending with every run done and the rows the sample holds', async () => {
    const home = path.join(work, 'home');
    const sampleDir = path.join(work, 'sample');
    expect(cli(home, {}, 'sample', 'traffic', '--out', sampleDir, '--sensors', '2', '--hours', '2', '--seed', '3').code).toBe(0);
    const files = (await readdir(path.join(sampleDir, 'traffic'), { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    const texts = await Promise.all(files.map((f) => readFile(path.join(f.parentPath, f.name), 'utf8')));
    const rows = texts.reduce((n, t) => n + t.split('\n').filter((l) => l.trim() !== '').length, 0);
    expect(cli(home, {}, 'drop', path.join(sampleDir, 'traffic'), '--dataset', 'traffic').code).toBe(0);
    // A short interval so the wait (seconds of crawling, refining and forecasting) shows some lines.
    const waited = cli(home, { TRIBUTARY_PROGRESS_INTERVAL: '0.2' }, 'wait', '--timeout', '170');
    expect(waited.code).toBe(0);
    expect(waited.stdout).toBe('quiescent: every run done, no delivery dead-lettered\n');
    const lines = waited.stderr.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(1);
    expect(waited.stderr.includes('\r') || waited.stderr.includes('\u001b')).toBe(false);
    for (const line of lines) expect(line).toMatch(/^ {4}… [\d.]+ (ms|s|min \d+ s)(: no run registered yet|: runs \d+\/\d+ done( · rows [\d,]+\/[\d,]+)? · [\d.]+\/[\d.]+ k?B · .* · ETA (\?|\d.*))?$/);
    expect(lines[lines.length - 1]).toContain(`: runs ${files.length}/${files.length} done · rows ${rows.toLocaleString('en-US')}/${rows.toLocaleString('en-US')} · `);
    expect(lines[lines.length - 1]).toMatch(/ETA 0 s$/);
  });
});
