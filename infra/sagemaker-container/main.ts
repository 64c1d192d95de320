import { existsSync } from 'node:fs';
import { loadShippedTrafficModel, SHIPPED_MODEL_DIR } from '../local/sample/shipped-model';
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

/** Entry point (`docker run <image> serve`): load the model, then listen on all interfaces. */
async function main(): Promise<void> {
  const dir = existsSync(SAGEMAKER_MODEL_DIR) ? SAGEMAKER_MODEL_DIR : SHIPPED_MODEL_DIR;
  const artifact = await loadShippedTrafficModel(dir);
  const server = createInferenceServer({ artifact });
  server.listen(inferencePort(), '0.0.0.0', () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : undefined;
    console.log(JSON.stringify({ message: 'inference server listening', port, model: artifact.version }));
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
