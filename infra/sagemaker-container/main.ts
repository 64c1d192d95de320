import { existsSync } from 'node:fs';
import { loadModelArtifactIn, SHIPPED_MODEL_DIR } from '../shipped/shipped-model';
import { createInferenceServer } from './server';

/** Where SageMaker unpacks `ModelDataUrl`; used when it holds a model, else the model baked into the image. */
export const SAGEMAKER_MODEL_DIR = '/opt/ml/model';

/** The port to serve on: `SAGEMAKER_BIND_TO_PORT` when set (a whole number 0..65535; 0 = any free port), else 8080. */
export function inferencePort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SAGEMAKER_BIND_TO_PORT;
  if (raw === undefined || raw === '') return 8080;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`SAGEMAKER_BIND_TO_PORT must be a port number, got ${JSON.stringify(raw)}`);
  return port;
}

/**
 * Entry point (`docker run <image> serve`): load the dataset's model artifact — the one in
 * `/opt/ml/model` (ModelDataUrl) when there is one, else the traffic model baked into the image —
 * then listen on all interfaces. The artifact serves only records of its own dataset and settings;
 * any other record, or every record without an artifact, is forecast by seasonal-naive and says so.
 */
async function main(): Promise<void> {
  const dir = existsSync(SAGEMAKER_MODEL_DIR) ? SAGEMAKER_MODEL_DIR : SHIPPED_MODEL_DIR;
  const artifact = await loadModelArtifactIn(dir);
  const server = createInferenceServer({ artifact });
  server.listen(inferencePort(), '0.0.0.0', () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : undefined;
    console.log(JSON.stringify({ message: 'inference server listening', port, model: artifact ? `${artifact.dataset} ${artifact.model} ${artifact.version}` : 'seasonal-naive (untrained)' }));
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
