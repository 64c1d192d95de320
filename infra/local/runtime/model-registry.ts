import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { createInferenceFunction } from '../../../handlers/forecast-model/inference-function';
import { parseModelArtifact, type ForecastModelArtifact } from '../../../handlers/forecast-model/model-artifact';
import { forecastModelName } from '../../../handlers/forecast-model/model-name';
import type { InferenceFunction } from '../../../handlers/ports/batch-transform';
import type { DatasetStore } from '../../../handlers/ports/dataset-store';
import { loadModelArtifactIn, shippedModelDir } from '../../shipped/shipped-model';

/** Where `tributary train <dataset>` saves the dataset's model versions in a home. */
export function modelDir(home: string, dataset: string): string {
  return path.join(home, 'models', dataset);
}

/**
 * The model a dataset forecasts with: the newest version trained in this home (`<home>/models/<dataset>`,
 * by training time then version), else the pre-trained artifact a built-in dataset ships in
 * `sql/<dataset>/model/`, else none — the forecast then uses seasonal-naive and says so.
 */
export async function loadForecastArtifact(home: string, dataset: string): Promise<ForecastModelArtifact | undefined> {
  const dir = modelDir(home, dataset);
  const files = (await readdir(dir).catch(() => [])).filter((f) => f.endsWith('.json'));
  const trained: ForecastModelArtifact[] = [];
  for (const f of files) trained.push(parseModelArtifact(JSON.parse(await readFile(path.join(dir, f), 'utf8')), path.join(dir, f)));
  trained.sort((a, b) => a.trainedAt.localeCompare(b.trainedAt) || a.version.localeCompare(b.version));
  return trained[trained.length - 1] ?? (await loadModelArtifactIn(shippedModelDir(dataset)));
}

/**
 * The batch-transform model registry of a home: for every dataset with a forecast, its model name
 * (`forecastModelName`) → the shared inference code over its artifact (or none). Read at start, so a
 * model trained later serves from the next start.
 */
export async function loadForecastModels(home: string, datasets: DatasetStore): Promise<Record<string, InferenceFunction>> {
  const models: Record<string, InferenceFunction> = {};
  for (const name of await datasets.listDatasets()) {
    const found = await datasets.getDataset(name).catch(() => undefined);
    if (found?.manifest.forecast === undefined) continue;
    models[forecastModelName(name)] = createInferenceFunction(await loadForecastArtifact(home, name));
  }
  return models;
}
