import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseDatasetManifest } from '../../contracts/dataset-manifest';
import type { Dataset, DatasetSql, DatasetStore } from '../../handlers/ports/dataset-store';

/** The repository's `sql/` folder, where the shipped datasets live. */
export const DEFAULT_SQL_DIR = path.join(__dirname, '..', '..', 'sql');

/**
 * Datasets as folders: `sql/<name>/manifest.json` (validated by the contract), the refine, rejects
 * and forecast-input SQL it names, and every `*.sql` in its views folder (sorted, so publishing order
 * is stable). Read once per dataset and cached: both realisations ship the folder with the code.
 */
export class FolderDatasetStore implements DatasetStore {
  private readonly cache = new Map<string, Promise<Dataset | undefined>>();

  constructor(private readonly dir: string = DEFAULT_SQL_DIR) {}

  async listDatasets(): Promise<string[]> {
    const entries = await readdir(this.dir, { withFileTypes: true }).catch(() => []);
    const names: string[] = [];
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const hasManifest = await readFile(path.join(this.dir, e.name, 'manifest.json')).then(() => true, () => false);
      if (hasManifest) names.push(e.name);
    }
    return names.sort();
  }

  getDataset(name: string): Promise<Dataset | undefined> {
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(name)) return Promise.resolve(undefined);
    let found = this.cache.get(name);
    if (!found) {
      found = this.load(name);
      this.cache.set(name, found);
      found.catch(() => this.cache.delete(name));
    }
    return found;
  }

  private async load(name: string): Promise<Dataset | undefined> {
    const folder = path.join(this.dir, name);
    const manifestFile = path.join(folder, 'manifest.json');
    const text = await readFile(manifestFile, 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    const manifest = parseDatasetManifest(JSON.parse(text), manifestFile);
    const read = (rel: string) => readFile(path.join(folder, rel), 'utf8');
    const views: DatasetSql[] = [];
    if (manifest.views) {
      const files = (await readdir(path.join(folder, manifest.views.dir))).filter((f) => f.endsWith('.sql')).sort();
      for (const f of files) views.push({ name: f.replace(/\.sql$/, ''), sql: await read(path.join(manifest.views.dir, f)) });
    }
    return {
      manifest,
      refineSql: await read(manifest.refine.sql),
      ...(manifest.refine.rejectsSql ? { rejectsSql: await read(manifest.refine.rejectsSql) } : {}),
      ...(manifest.forecast?.inputSql ? { forecastInputSql: await read(manifest.forecast.inputSql) } : {}),
      views,
    };
  }
}
