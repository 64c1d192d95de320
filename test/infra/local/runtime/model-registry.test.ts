import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { artifactFileName, modelVersionOf, type ForecastModelArtifact } from '../../../../handlers/forecast-model/model-artifact';
import type { DatasetStore } from '../../../../handlers/ports/dataset-store';
import { loadForecastArtifact, loadForecastModels, modelDir } from '../../../../infra/local/runtime/model-registry';
import { loadModelArtifactIn, SHIPPED_MODEL_DIR } from '../../../../infra/shipped/shipped-model';
import { FolderDatasetStore } from '../../../../infra/datasets/folder-dataset-store';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'model-registry-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

async function saveTrained(artifact: Omit<ForecastModelArtifact, 'version'>): Promise<ForecastModelArtifact> {
  const versioned = { ...artifact, version: modelVersionOf(artifact) };
  await mkdir(modelDir(home, artifact.dataset), { recursive: true });
  await writeFile(path.join(modelDir(home, artifact.dataset), artifactFileName(versioned)), JSON.stringify(versioned));
  return versioned;
}

describe('model registry', () => {
  it('serves the shipped traffic model in a fresh home, the newest trained version once there is one', async () => {
    const shipped = await loadModelArtifactIn(SHIPPED_MODEL_DIR);
    expect(await loadForecastArtifact(home, 'traffic')).toEqual(shipped);
    const { version: _v, ...content } = shipped ?? (() => { throw new Error('no shipped model'); })();
    const older = await saveTrained({ ...content, model: 'last-value', features: [], coefficients: [], trainedAt: '2026-01-01T00:00:00.000Z' });
    const newer = await saveTrained({ ...content, model: 'seasonal-naive', features: [], coefficients: [], trainedAt: '2026-02-01T00:00:00.000Z' });
    expect(older.version).not.toBe(newer.version);
    expect(await loadForecastArtifact(home, 'traffic')).toEqual(newer);
  });

  it('has no artifact for a dataset never trained (the stage then forecasts seasonal-naive)', async () => {
    expect(await loadForecastArtifact(home, 'weather')).toBeUndefined();
  });

  it('registers one model per dataset with a forecast, named <dataset>-forecast, and serves seasonal-naive without an artifact', async () => {
    const builtIn = new FolderDatasetStore();
    const traffic = await builtIn.getDataset('traffic');
    if (traffic === undefined) throw new Error('no traffic dataset');
    const weather = { ...traffic, manifest: { ...traffic.manifest, name: 'weather' } };
    const datasets: DatasetStore = {
      listDatasets: async () => ['traffic', 'weather', 'plain'],
      getDataset: async (name) => (name === 'traffic' ? traffic : name === 'weather' ? weather : { ...traffic, manifest: { ...traffic.manifest, name, forecast: undefined } }),
    };
    const models = await loadForecastModels(home, datasets);
    expect(Object.keys(models).sort()).toEqual(['traffic-forecast', 'weather-forecast']);
    const record = { dataset: 'weather', series: ['S1'], origin: '2026-01-05T10:45:00.000Z', every: '15m', horizon: 2, season: 96, history: [{ t: '2026-01-05T10:45:00.000Z', value: 50 }] };
    const out: unknown = JSON.parse(await models['weather-forecast']?.(JSON.stringify(record), 'application/jsonlines') ?? '');
    expect(out).toMatchObject({ model: 'seasonal-naive', modelVersion: 'untrained', forecasts: [{ step: 1, prediction: 50, model: 'last-value' }, { step: 2, prediction: 50, model: 'last-value' }] });
  });
});
