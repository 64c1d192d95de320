import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { artifactFileName, parseModelArtifact, type ForecastModelArtifact } from '../../handlers/forecast-model/model-artifact';

/** Where the built-in datasets live: `sql/<dataset>/`. */
const BUILT_IN_DATASETS = path.join(__dirname, '..', '..', 'sql');

/** Where the pre-trained traffic model ships: `sql/traffic/model/traffic-<version>.json`. */
export const SHIPPED_MODEL_DIR = path.join(BUILT_IN_DATASETS, 'traffic', 'model');

/** The folder a built-in dataset ships its pre-trained model in (`sql/<dataset>/model/`). */
export function shippedModelDir(dataset: string): string {
  return path.join(BUILT_IN_DATASETS, dataset, 'model');
}

/**
 * Loads and validates the one model artifact (`*.json`) in `dir`, or undefined when the folder is
 * missing or holds none. Throws when it holds more than one, or the one fails validation (including a
 * version that does not match the content or the file name).
 */
export async function loadModelArtifactIn(dir: string): Promise<ForecastModelArtifact | undefined> {
  const files = (await fs.readdir(dir).catch(() => [])).filter((f) => f.endsWith('.json'));
  if (files.length === 0) return undefined;
  if (files.length > 1) throw new Error(`expected at most one model artifact (*.json) in ${dir}, found ${files.length}`);
  const file = files[0] ?? '';
  const artifact = parseModelArtifact(JSON.parse(await fs.readFile(path.join(dir, file), 'utf8')), file);
  if (file !== artifactFileName(artifact)) throw new Error(`${file} holds model ${artifactFileName(artifact)}`);
  return artifact;
}
