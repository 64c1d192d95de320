import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDatasetManifest, type DatasetManifest } from '../../contracts/dataset-manifest';

/** A dataset folder found at synth time: its name, folder and validated manifest. */
export interface DatasetFolder {
  readonly name: string;
  readonly folder: string;
  readonly manifest: DatasetManifest;
}

/**
 * The extra dataset folders the `datasetDirs` context key names (colon-separated text, as
 * `$TRIBUTARY_DATASETS`, or a list in `cdk.json`), resolved against the working directory.
 */
export function extraDatasetDirs(value: string | readonly string[] | undefined): string[] {
  const dirs = typeof value === 'string' ? value.split(':') : (value ?? []);
  return dirs.map((d) => d.trim()).filter((d) => d !== '').map((d) => path.resolve(d));
}

/**
 * Reads every dataset folder under `sqlDir` (the built-in datasets) and each extra folder, validated
 * by the contract, sorted by name: the same set the embedded default reads, so the stack deploys
 * (crawlers, bundled SQL) what `tributary datasets` lists. A name defined in two folders, a manifest
 * the contract rejects or whose name differs from its folder fails the synth, naming the files.
 */
export function readDatasetFolders(sqlDir: string, extraDirs: readonly string[] = []): DatasetFolder[] {
  const found = new Map<string, DatasetFolder>();
  for (const dir of [sqlDir, ...extraDirs]) {
    if (dir !== sqlDir && !existsSync(dir)) throw new Error(`datasetDirs names ${dir}, which does not exist`);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const folder = path.join(dir, entry.name);
      const file = path.join(folder, 'manifest.json');
      if (!entry.isDirectory() || !existsSync(file)) continue;
      const earlier = found.get(entry.name);
      if (earlier) throw new Error(`dataset ${JSON.stringify(entry.name)} is defined twice, in ${earlier.folder} and in ${folder}: rename or remove one`);
      const manifest = parseDatasetManifest(JSON.parse(readFileSync(file, 'utf8')), file);
      if (manifest.name !== entry.name) throw new Error(`${file}: name ${JSON.stringify(manifest.name)} differs from its folder ${JSON.stringify(entry.name)}`);
      found.set(entry.name, { name: entry.name, folder, manifest });
    }
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The manifests of {@link readDatasetFolders}, sorted by name. */
export function readDatasetManifests(sqlDir: string, extraDirs: readonly string[] = []): DatasetManifest[] {
  return readDatasetFolders(sqlDir, extraDirs).map((d) => d.manifest);
}
