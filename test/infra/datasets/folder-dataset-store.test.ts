import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { FolderDatasetStore } from '../../../infra/datasets/folder-dataset-store';

describe('FolderDatasetStore', () => {
  it('reads the shipped traffic dataset: manifest, refine, rejects, forecast input and views', async () => {
    const store = new FolderDatasetStore();
    expect(await store.listDatasets()).toContain('traffic');
    const traffic = await store.getDataset('traffic');
    expect(traffic?.manifest.name).toBe('traffic');
    expect(traffic?.refineSql).toMatch(/FROM tributary_raw\.traffic/);
    expect(traffic?.rejectsSql).toMatch(/reason/);
    expect(traffic?.forecastInputSql).toMatch(/tributary_refined\.traffic/);
    expect(traffic?.views.map((v) => v.name)).toEqual(['current_jams', 'hourly_speed_profile']);
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
});
