import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { arrivalKey, dropFiles } from '../../../../../infra/operator/cli/commands/drop';

const BIN = path.join(__dirname, '..', '..', '..', '..', '..', 'infra', 'operator', 'cli', 'bin.cjs');

describe('tributary drop', () => {
  let work: string;
  let home: string;
  const raw = (key: string): string => path.join(home, 'lake', 'raw', ...key.split('/'));

  beforeEach(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'tributary-drop-'));
    home = path.join(work, 'home');
  });
  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('lays a single file out as Firehose would: <dataset>/YYYY/MM/DD/HH/<name> by arrival time, UTC', async () => {
    const file = path.join(work, 'one-file.jsonl');
    await writeFile(file, '{"a":1}\n');
    const result = await dropFiles(home, file, { dataset: 'traffic', now: new Date('2026-03-04T05:59:59.999+02:00') });
    expect(result.keys).toEqual(['traffic/2026/03/04/03/one-file.jsonl']);
    expect(await readFile(raw('traffic/2026/03/04/03/one-file.jsonl'), 'utf8')).toBe('{"a":1}\n');
    expect(arrivalKey('d', 'x.csv', new Date('2026-12-31T23:00:00Z'))).toBe('d/2026/12/31/23/x.csv');
  });

  it('puts a single file at --key below the dataset, and refuses a key that is not a safe object key', async () => {
    const file = path.join(work, 'a.jsonl');
    await writeFile(file, 'x\n');
    expect((await dropFiles(home, file, { dataset: 'traffic', key: 'arrival_hour=2026-01-05-07/a.jsonl' })).keys).toEqual(['traffic/arrival_hour=2026-01-05-07/a.jsonl']);
    await expect(dropFiles(home, file, { dataset: 'traffic', key: '../../escape.jsonl' })).rejects.toThrow(/cannot drop .*a\.jsonl at --key: object key has an empty, '\.' or '\.\.' segment/);
    await expect(dropFiles(home, file, { dataset: 'traffic', key: 'x.jsonl.part' })).rejects.toThrow(/still being written/);
    await expect(dropFiles(home, work, { dataset: 'traffic', key: 'k.jsonl' })).rejects.toThrow(/--key names the key of a single file/);
  });

  it('drops every valid file of a folder, keeps its layout, and lists each refused file with its reason', async () => {
    const folder = path.join(work, 'batch');
    const names = Array.from({ length: 11 }, (_, i) => `2026/01/05/${String(i).padStart(2, '0')}/f-${i}.jsonl`);
    names[3] = '2026/01/05/03/bad\u0001name.jsonl';
    names[7] = '2026/01/05/07/upload.jsonl.part';
    for (const name of [...names, '.DS_Store']) {
      await mkdir(path.dirname(path.join(folder, name)), { recursive: true });
      await writeFile(path.join(folder, name), `{"n":"${name.length}"}\n`);
    }
    await symlink('/etc/passwd', path.join(folder, 'link.jsonl'));
    const result = await dropFiles(home, folder, { dataset: 'traffic' });
    const good = names.filter((_, i) => i !== 3 && i !== 7);
    expect(result.keys).toEqual(good.map((n) => `traffic/${n}`));
    for (const n of good) expect(existsSync(raw(`traffic/${n}`))).toBe(true);
    expect(result.refused).toEqual([
      { file: '2026/01/05/03/bad\u0001name.jsonl', reason: expect.stringMatching(/control character/) },
      { file: '2026/01/05/07/upload.jsonl.part', reason: expect.stringMatching(/still being written/) },
      { file: 'link.jsonl', reason: 'a symbolic link (not followed)' },
    ]);
    expect(result.hidden).toBe(1);
  });

  it('exits 1 after a folder drop with refused files, one stderr line per refused file', async () => {
    const folder = path.join(work, 'batch');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'a.jsonl'), 'a\n');
    await writeFile(path.join(folder, 'b\u0007.jsonl'), 'b\n');
    await writeFile(path.join(folder, 'c.jsonl'), 'c\n');
    const r = spawnSync(process.execPath, [BIN, 'drop', folder, '--dataset', 'traffic', '--home', home], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('dropped 2 file(s) into s3://tributary-raw/traffic/\n');
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^tributary: refused "b\\u0007\.jsonl": object key contains a control character/),
      'tributary: refused 1 file(s); rename them and drop them again',
    ]);
    expect(existsSync(raw('traffic/a.jsonl')) && existsSync(raw('traffic/c.jsonl'))).toBe(true);
  });
});
