import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigurationError } from '../../../contracts/configuration-error';
import { datasetRoots, folderRoot } from '../../../infra/datasets/dataset-roots';
import { DEFAULT_SQL_DIR, FolderDatasetStore } from '../../../infra/datasets/folder-dataset-store';

describe('FolderDatasetStore', () => {
  it('reads the shipped traffic dataset: manifest, refine, rejects and views (its forecast input is generated from the manifest)', async () => {
    const store = new FolderDatasetStore();
    expect(await store.listDatasets()).toContain('traffic');
    const traffic = await store.getDataset('traffic');
    expect(traffic?.manifest.name).toBe('traffic');
    expect(traffic?.refineSql).toMatch(/FROM :raw_database\.traffic/);
    expect(traffic?.rejectsSql).toMatch(/reason/);
    expect(traffic?.forecastInputSql).toBeUndefined();
    expect(traffic?.views.map((v) => v.name)).toEqual(['current_jams', 'hourly_speed_profile']);
    expect(traffic?.files).toEqual({ manifest: 'sql/traffic/manifest.json', refineSql: 'sql/traffic/refine.sql', rejectsSql: 'sql/traffic/rejects.sql' });
    expect(traffic?.views.map((v) => v.file)).toEqual(['sql/traffic/views/current_jams.sql', 'sql/traffic/views/hourly_speed_profile.sql']);
  });

  it('reads a dataset again once one of its files changes, so a fixed file takes effect without a restart', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'tributary-datasets-'));
    try {
      await cp(path.join(DEFAULT_SQL_DIR, 'traffic'), path.join(root, 'traffic'), { recursive: true });
      const store = new FolderDatasetStore(root);
      const before = await store.getDataset('traffic');
      expect(await store.getDataset('traffic')).toBe(before);
      await writeFile(path.join(root, 'traffic', 'refine.sql'), `${before?.refineSql ?? ''}\n-- fixed\n`);
      expect((await store.getDataset('traffic'))?.refineSql).toMatch(/-- fixed\n$/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  describe('a broken dataset is a configuration error naming the file and line, never retryable', () => {
    let root: string;
    const manifestText = async (): Promise<string> => readFile(path.join(DEFAULT_SQL_DIR, 'traffic', 'manifest.json'), 'utf8');
    /** A copy of the traffic dataset at `<root>/sql/traffic` whose manifest text is `edit`ed; returns the store. */
    const storeWith = async (edit: (text: string) => string, remove?: string): Promise<FolderDatasetStore> => {
      root = await mkdtemp(path.join(os.tmpdir(), 'tributary-datasets-'));
      await cp(path.join(DEFAULT_SQL_DIR, 'traffic'), path.join(root, 'sql', 'traffic'), { recursive: true });
      await writeFile(path.join(root, 'sql', 'traffic', 'manifest.json'), edit(await manifestText()));
      if (remove) await rm(path.join(root, 'sql', 'traffic', remove));
      return new FolderDatasetStore(path.join(root, 'sql'));
    };
    const lineOf = (text: string, fragment: string): number => text.slice(0, text.indexOf(fragment)).split('\n').length;
    afterEach(async () => {
      await rm(root, { recursive: true, force: true });
    });

    it('a manifest the contract rejects: the line of the offending key', async () => {
      const text = await manifestText();
      const store = await storeWith((t) => t.replace('"by": "hour"', '"by": "fortnight"'));
      const err: unknown = await store.getDataset('traffic').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigurationError);
      expect(err).toMatchObject({ file: 'sql/traffic/manifest.json', line: lineOf(text, '"by": "hour"'), retryable: false });
      expect(String((err as Error).message)).toMatch(/^sql\/traffic\/manifest\.json line \d+: the dataset manifest contract rejects it: partitioning\.by: /);
    });

    it('an unknown key: the line of that key', async () => {
      const text = await manifestText();
      const store = await storeWith((t) => t.replace('"eventTime": {', '"eventTime": {\n    "zone": "UTC",'));
      await expect(store.getDataset('traffic')).rejects.toMatchObject({ file: 'sql/traffic/manifest.json', line: lineOf(text, '"eventTime": {') + 1 });
    });

    it('a manifest that is not JSON: the line the parser stopped at', async () => {
      const store = await storeWith((t) => t.replace('"format": "jsonl",', '"format": "jsonl",,'));
      const text = await manifestText();
      await expect(store.getDataset('traffic')).rejects.toMatchObject({ file: 'sql/traffic/manifest.json', line: lineOf(text, '"format": "jsonl",'), message: expect.stringMatching(/not valid JSON/) });
    });

    it('a SQL file the manifest names that is missing: the manifest line naming it', async () => {
      const text = await manifestText();
      const store = await storeWith((t) => t, 'rejects.sql');
      await expect(store.getDataset('traffic')).rejects.toMatchObject({ file: 'sql/traffic/manifest.json', line: lineOf(text, '"rejectsSql"'), message: expect.stringMatching(/refine\.rejectsSql names sql\/traffic\/rejects\.sql, which cannot be read/) });
    });
  });

  it('knows no dataset for an unknown or unsafe name, and names the file of an invalid manifest', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tributary-datasets-'));
    try {
      await mkdir(path.join(dir, 'broken'));
      await writeFile(path.join(dir, 'broken', 'manifest.json'), JSON.stringify({ name: 'broken' }));
      const store = new FolderDatasetStore(dir);
      expect(await store.getDataset('nothing')).toBeUndefined();
      expect(await store.getDataset('../etc')).toBeUndefined();
      await expect(store.getDataset('broken')).rejects.toThrow(/broken[/\\]manifest\.json/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads datasets from the built-in sql/, <home>/datasets/ and each $TRIBUTARY_DATASETS folder; a name in two is an error naming both', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'tributary-roots-'));
    try {
      const home = path.join(root, 'home');
      expect(datasetRoots(home, { TRIBUTARY_DATASETS: `${root}/a::${root}/b:${root}/a` })).toEqual([
        { dir: DEFAULT_SQL_DIR, label: 'sql' },
        folderRoot(path.join(home, 'datasets')),
        folderRoot(path.join(root, 'a')),
        folderRoot(path.join(root, 'b')),
      ]);
      const copy = async (dir: string, name: string): Promise<void> => {
        await cp(path.join(DEFAULT_SQL_DIR, 'traffic'), path.join(dir, name), { recursive: true });
        const manifest = path.join(dir, name, 'manifest.json');
        await writeFile(manifest, (await readFile(manifest, 'utf8')).replace('"name": "traffic"', `"name": "${name}"`));
      };
      await copy(path.join(home, 'datasets'), 'mine');
      await copy(path.join(root, 'a'), 'shared');
      const store = new FolderDatasetStore(datasetRoots(home, { TRIBUTARY_DATASETS: path.join(root, 'a') }));
      expect((await store.locateDatasets()).map((d) => [d.name, d.folder])).toEqual([
        ['mine', path.join(home, 'datasets', 'mine')],
        ['shared', path.join(root, 'a', 'shared')],
        ['traffic', path.join(DEFAULT_SQL_DIR, 'traffic')],
      ]);
      expect((await store.getDataset('mine'))?.files.refineSql).toBe(`${path.join(home, 'datasets')}/mine/refine.sql`);
      await copy(path.join(home, 'datasets'), 'shared');
      const twice = `dataset "shared" is defined twice, in ${path.join(home, 'datasets', 'shared')} and in ${path.join(root, 'a', 'shared')}`;
      await expect(store.getDataset('shared')).rejects.toThrow(twice);
      await expect(store.listDatasets()).rejects.toMatchObject({ retryable: false, message: expect.stringContaining(twice) });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
