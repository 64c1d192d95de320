import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FolderObjectStore, LAKE_TMP_DIR } from '../../../../infra/emulators/object-store/folder-object-store';
import { objectStoreContract } from '../../../handlers/ports/object-store.contract';

async function tempHome(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'tributary-store-'));
}

objectStoreContract('FolderObjectStore', async () => {
  const home = await tempHome();
  return {
    store: new FolderObjectStore({ home }),
    bucket: 'tributary-raw',
    otherBucket: 'tributary-quarantine',
    unknownBucket: 'someone-elses-bucket',
    close: () => fs.rm(home, { recursive: true, force: true }),
  };
});

describe('FolderObjectStore on disk', () => {
  let home: string;
  let store: FolderObjectStore;
  beforeEach(async () => {
    home = await tempHome();
    store = new FolderObjectStore({ home });
  });
  afterEach(() => fs.rm(home, { recursive: true, force: true }));

  it('maps bucket tributary-<zone> to $home/lake/<zone> and keys to relative paths', async () => {
    await store.putObject('tributary-refined', 'traffic/year=2024/part-0.parquet', 'PAR1');
    expect(await fs.readFile(path.join(home, 'lake', 'refined', 'traffic', 'year=2024', 'part-0.parquet'), 'utf8')).toBe('PAR1');
  });

  it('leaves no temp file behind and keeps temp files outside every zone', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.putObject('tributary-raw', `t/${i}.json`, `{"i":${i}}`)));
    expect(await fs.readdir(path.join(home, 'lake', LAKE_TMP_DIR))).toEqual([]);
    expect((await fs.readdir(path.join(home, 'lake'))).sort()).toEqual([LAKE_TMP_DIR, 'raw']);
  });

  it('sees files written by other programs, with the MD5 etag, and notices when they change', async () => {
    const file = path.join(home, 'lake', 'raw', 'ext', 'a.csv');
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, 'x,y\n');
    const first = await store.headObject('tributary-raw', 'ext/a.csv');
    expect(first).toMatchObject({ size: 4, etag: createHash('md5').update('x,y\n').digest('hex') });
    await fs.writeFile(file, 'x,y\n1,2\n');
    const second = await store.headObject('tributary-raw', 'ext/a.csv');
    expect(second?.size).toBe(8);
    expect(second?.etag).not.toBe(first?.etag);
    expect(second?.etag).toBe((await store.putObject('tributary-forecast', 'same', 'x,y\n1,2\n')).etag);
  });

  it('prunes folders emptied by a delete, up to the zone', async () => {
    await store.putObject('tributary-raw', 'a/b/c/file', 'x');
    await store.deleteObject('tributary-raw', 'a/b/c/file');
    expect(await fs.readdir(path.join(home, 'lake', 'raw'))).toEqual([]);
  });

  it('reports a key that collides with a folder as a poison KeyConflict', async () => {
    await store.putObject('tributary-raw', 'p/q', 'x');
    await expect(store.putObject('tributary-raw', 'p', 'y')).rejects.toMatchObject({ code: 'KeyConflict', retryable: false });
    await expect(store.putObject('tributary-raw', 'p/q/r', 'y')).rejects.toMatchObject({ code: 'KeyConflict', retryable: false });
    expect((await store.getObject('tributary-raw', 'p/q')).toString()).toBe('x');
  });

  it('does not follow symbolic links out of the lake', async () => {
    const outside = path.join(home, 'secret.txt');
    await fs.writeFile(outside, 'secret');
    await fs.mkdir(path.join(home, 'lake', 'raw'), { recursive: true });
    await fs.symlink(outside, path.join(home, 'lake', 'raw', 'link.txt'));
    expect(await store.listObjects('tributary-raw', '')).toEqual([]);
    expect(await store.headObject('tributary-raw', 'link.txt')).toBeUndefined();
    await expect(store.getObject('tributary-raw', 'link.txt')).rejects.toMatchObject({ code: 'NoSuchKey' });
  });
});
