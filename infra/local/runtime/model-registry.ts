import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseModelArtifact, type TrafficSpeedModel } from '../../../handlers/forecast-model/model-artifact';
import { loadShippedTrafficModel } from '../sample/shipped-model';

/** Where `tributary train` saves models in a home. */
export function modelDir(home: string): string {
  return path.join(home, 'models');
}

/**
 * The traffic model to serve: the newest one trained in this home (`<home>/models`, by training time),
 * else the pre-trained artifact shipped in `sql/traffic/model/`, so a fresh home forecasts at once.
 */
export async function loadTrafficModel(home: string): Promise<TrafficSpeedModel> {
  const dir = modelDir(home);
  const files = (await readdir(dir).catch(() => [])).filter((f) => /^traffic-speed-.+\.json$/.test(f));
  const trained: TrafficSpeedModel[] = [];
  for (const f of files) trained.push(parseModelArtifact(JSON.parse(await readFile(path.join(dir, f), 'utf8')), f));
  trained.sort((a, b) => String(a.trainedAt).localeCompare(String(b.trainedAt)) || a.version.localeCompare(b.version));
  return trained[trained.length - 1] ?? loadShippedTrafficModel();
}
