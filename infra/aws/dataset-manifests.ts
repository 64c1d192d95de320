import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDatasetManifest, type DatasetManifest } from '../../contracts/dataset-manifest';

/**
 * Reads every dataset manifest under `sql/` (one folder per dataset) at synth time, validated by the
 * contract, sorted by name. The stack creates a crawler per dataset and zone from these, so adding a
 * dataset folder adds its crawlers with no TypeScript; an invalid manifest fails the synth, naming the file.
 */
export function readDatasetManifests(sqlDir: string): DatasetManifest[] {
  const manifests: DatasetManifest[] = [];
  for (const entry of readdirSync(sqlDir, { withFileTypes: true })) {
    const file = path.join(sqlDir, entry.name, 'manifest.json');
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const manifest = parseDatasetManifest(JSON.parse(readFileSync(file, 'utf8')), file);
    if (manifest.name !== entry.name) throw new Error(`${file}: name ${JSON.stringify(manifest.name)} differs from its folder ${JSON.stringify(entry.name)}`);
    manifests.push(manifest);
  }
  return manifests.sort((a, b) => a.name.localeCompare(b.name));
}
