import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InvalidModelArtifactError } from '../../../handlers/forecast-model/forecast-model-error';
import { loadModelArtifactIn, SHIPPED_MODEL_DIR } from '../../../infra/shipped/shipped-model';
import { TRAFFIC_FORECAST, trainOnSample, writeShippedModel } from '../../../infra/shipped/train-shipped-model';

describe('the shipped traffic model', () => {
  it('is exactly what train-shipped-model.ts produces from the default sample (no drift)', async () => {
    const shipped = await loadModelArtifactIn(SHIPPED_MODEL_DIR);
    const { artifact } = trainOnSample();
    expect(shipped).toEqual(artifact);
    const [file] = (await fs.readdir(SHIPPED_MODEL_DIR)).filter((f) => f.endsWith('.json'));
    expect(await fs.readFile(path.join(SHIPPED_MODEL_DIR, file ?? ''), 'utf8')).toBe(`${JSON.stringify(artifact, null, 1)}\n`);
  });

  it('is trained for the traffic manifest\'s forecast settings', async () => {
    const manifest: unknown = JSON.parse(await fs.readFile(path.join(SHIPPED_MODEL_DIR, '..', 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ forecast: { ...TRAFFIC_FORECAST } });
    expect((await loadModelArtifactIn(SHIPPED_MODEL_DIR))?.season).toBe(96);
  });

  it('is the candidate with the lowest backtest MAE, on enough forecasts', async () => {
    const shipped = await loadModelArtifactIn(SHIPPED_MODEL_DIR);
    const scores = shipped?.backtest.scores ?? [];
    expect(shipped?.backtest.forecasts).toBeGreaterThan(1000);
    expect(scores.map((s) => s.model)).toEqual(['seasonal-naive', 'last-value', 'ridge-lags']);
    const best = Math.min(...scores.map((s) => s.mae));
    expect(scores.find((s) => s.model === shipped?.model)?.mae).toBe(best);
  });

  it('refuses an edited artifact whose version no longer matches its content, and a second artifact', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'shipped-model-'));
    try {
      const { file, artifact } = await writeShippedModel(dir);
      expect(path.basename(file)).toBe(`traffic-${artifact.version}.json`);
      await fs.writeFile(file, JSON.stringify({ ...artifact, season: artifact.season + 1 }));
      await expect(loadModelArtifactIn(dir)).rejects.toBeInstanceOf(InvalidModelArtifactError);
      await fs.writeFile(path.join(dir, 'traffic-v2-000000000000.json'), '{}');
      await expect(loadModelArtifactIn(dir)).rejects.toThrow('at most one');
      await expect(loadModelArtifactIn(path.join(dir, 'missing'))).resolves.toBeUndefined();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
