import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DEFAULT_SQL_DIR } from '../../infra/datasets/dataset-roots';

/** One traffic reading as a JSON line (valid unless the speed says otherwise). */
export const reading = (sensor: string, at: string, speed: number): string =>
  JSON.stringify({ uniqueId: sensor, recordTimestamp: at, currentSpeed: speed, previousSpeed: 90, bezettingsgraad: 10, trafficIntensityClass2: 1, trafficIntensityClass3: 0, trafficIntensityClass4: 0, trafficIntensityClass5: 0 });

/**
 * Copies the shipped traffic dataset into `<home>/datasets/<name>` under a new name, without its
 * forecast and views (so a test runs only what it checks), with `change` applied to the manifest.
 */
export async function trafficCopy(home: string, name: string, change: (manifest: Record<string, unknown>) => Record<string, unknown> = (m) => m): Promise<string> {
  const folder = path.join(home, 'datasets', name);
  await cp(path.join(DEFAULT_SQL_DIR, 'traffic'), folder, { recursive: true });
  await rm(path.join(folder, 'views'), { recursive: true, force: true });
  await rm(path.join(folder, 'model'), { recursive: true, force: true });
  for (const file of ['refine.sql', 'rejects.sql']) {
    const text = await readFile(path.join(folder, file), 'utf8');
    await writeFile(path.join(folder, file), text.replace(/(:raw_database|:refined_database|tributary_raw|tributary_refined)\.traffic\b/g, `$1.${name}`));
  }
  const parsed: unknown = JSON.parse(await readFile(path.join(folder, 'manifest.json'), 'utf8'));
  const manifest = typeof parsed === 'object' && parsed !== null ? { ...(parsed as Record<string, unknown>) } : {};
  delete manifest['forecast'];
  delete manifest['views'];
  await writeFile(path.join(folder, 'manifest.json'), JSON.stringify(change({ ...manifest, name }), null, 2));
  return folder;
}
