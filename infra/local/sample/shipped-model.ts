import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseModelArtifact, type TrafficSpeedModel } from '../../../handlers/forecast-model/model-artifact';

/** Where the pre-trained traffic model ships: `sql/traffic/model/traffic-speed-<version>.json`. */
export const SHIPPED_MODEL_DIR = path.join(__dirname, '..', '..', '..', 'sql', 'traffic', 'model');

/** The file name of a traffic-speed artifact of a version. */
export function shippedModelFileName(version: string): string {
  return `traffic-speed-${version}.json`;
}

/**
 * Loads and validates the one pre-trained traffic-speed model in `dir`, so a fresh home forecasts
 * without training. Throws when there is none, more than one, or it fails validation (including a
 * version that does not match the content or the file name).
 */
export async function loadShippedTrafficModel(dir = SHIPPED_MODEL_DIR): Promise<TrafficSpeedModel> {
  const files = (await fs.readdir(dir)).filter((f) => /^traffic-speed-.+\.json$/.test(f));
  if (files.length !== 1) throw new Error(`expected exactly one traffic-speed-<version>.json in ${dir}, found ${files.length}`);
  const file = files[0] ?? '';
  const artifact = parseModelArtifact(JSON.parse(await fs.readFile(path.join(dir, file), 'utf8')), file);
  if (file !== shippedModelFileName(artifact.version)) throw new Error(`${file} holds model version ${artifact.version}`);
  return artifact;
}
