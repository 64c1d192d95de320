import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InvalidModelArtifactError } from '../../../../handlers/forecast-model/forecast-model-error';
import { loadShippedTrafficModel, SHIPPED_MODEL_DIR } from '../../../../infra/local/sample/shipped-model';
import { trainOnSample, writeShippedModel } from '../../../../infra/local/sample/train-shipped-model';

describe('the shipped traffic-speed model', () => {
  it('is exactly what train-shipped-model.ts produces from the default sample (no drift)', async () => {
    const shipped = await loadShippedTrafficModel();
    const { artifact } = trainOnSample();
    expect(shipped).toEqual(artifact);
    const [file] = (await fs.readdir(SHIPPED_MODEL_DIR)).filter((f) => f.endsWith('.json'));
    expect(await fs.readFile(path.join(SHIPPED_MODEL_DIR, file ?? ''), 'utf8')).toBe(`${JSON.stringify(artifact, null, 1)}\n`);
  });

  it('beats both baselines on the held-out day of the sample', async () => {
    const { metrics } = await loadShippedTrafficModel();
    expect(metrics.heldOutRows).toBeGreaterThan(1000);
    expect(metrics.modelMae).toBeLessThan(metrics.lastValueMae);
    expect(metrics.modelMae).toBeLessThan(metrics.sameSlotYesterdayMae);
  });

  it('refuses an edited artifact whose version no longer matches its content', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'shipped-model-'));
    try {
      const { file, artifact } = await writeShippedModel(dir);
      expect(path.basename(file)).toBe(`traffic-speed-${artifact.version}.json`);
      const edited = { ...artifact, coefficients: artifact.coefficients.map((c) => c.map((x) => x * 2)) };
      await fs.writeFile(file, JSON.stringify(edited));
      await expect(loadShippedTrafficModel(dir)).rejects.toBeInstanceOf(InvalidModelArtifactError);
      await fs.writeFile(path.join(dir, 'traffic-speed-v1-000000000000.json'), '{}');
      await expect(loadShippedTrafficModel(dir)).rejects.toThrow('exactly one');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
