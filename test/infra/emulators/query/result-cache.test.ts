import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { ResultCache, sweepResults } from '../../../../infra/emulators/query/result-cache';

const rows = (n: number, tag: string) => ({ columns: [{ name: 'v', type: 'VARCHAR' }], rows: Array.from({ length: n }, (_, i) => [`${tag}${i}`, undefined]) });

describe('ResultCache', () => {
  let home: string;
  beforeEach(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-results-'));
  });
  afterEach(async () => {
    await fs.rm(home, { recursive: true, force: true });
  });

  it('drops the oldest results from memory past its byte bound and reads them back unchanged', async () => {
    const cache = new ResultCache(home, 20_000);
    for (const tag of ['a', 'b', 'c']) await cache.put(tag, rows(200, tag));
    expect(cache.bytesInMemory).toBeLessThanOrEqual(20_000);
    expect(await cache.get('a')).toEqual(rows(200, 'a'));
    expect(await cache.get('c')).toEqual(rows(200, 'c'));
    await cache.forget('a');
    expect(await cache.get('a')).toBeUndefined();
    await cache.clear();
    expect(await fs.readdir(path.join(home, 'query-engine', 'results'))).toEqual([]);
  });

  it('keeps the newest result even when it alone is over the bound', async () => {
    const cache = new ResultCache(home, 10);
    await cache.put('big', rows(50, 'x'));
    expect(await cache.get('big')).toEqual(rows(50, 'x'));
  });

  it('sweeps the spill folders of processes that are gone', async () => {
    const root = path.join(home, 'query-engine', 'results');
    await fs.mkdir(path.join(root, '2147483646-dead'), { recursive: true });
    await fs.mkdir(path.join(root, `${process.pid}-mine`), { recursive: true });
    await sweepResults(home);
    expect(await fs.readdir(root)).toEqual([`${process.pid}-mine`]);
  });
});
