import { copyFileSync, cpSync, mkdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

/** The files of the image's build context, relative to it. */
export const CONTEXT_FILES = { dockerfile: 'Dockerfile', bundle: 'main.js', model: 'model' } as const;

/**
 * Builds the forecast container's Docker build context into `outDir`: the inference entry point
 * (`infra/sagemaker-container/main.ts`, its server and the model code) bundled by esbuild into one
 * minified file with nothing external, the shipped model (`sql/traffic/model`) and the Dockerfile. The
 * image then holds Node.js, that file and the model — no node_modules, so none of aws-cdk-lib, DuckDB,
 * dynalite or the SDK clients. Deterministic: the same sources give the same bytes (the asset hash
 * changes only when the served code or the model does). `outDir` is replaced. Returns the bundle's size in bytes.
 */
export function buildInferenceContext(repositoryRoot: string, outDir: string): { bundleBytes: number } {
  // Rebuilt whole: a model file removed from the repository must not linger in the image.
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const bundle = path.join(outDir, CONTEXT_FILES.bundle);
  buildSync({
    entryPoints: [path.join(repositoryRoot, 'infra', 'sagemaker-container', 'main.ts')],
    absWorkingDir: repositoryRoot,
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    // Error class names travel in the server's answers and logs.
    keepNames: true,
    legalComments: 'none',
    logLevel: 'error',
  });
  cpSync(path.join(repositoryRoot, 'sql', 'traffic', 'model'), path.join(outDir, CONTEXT_FILES.model), { recursive: true });
  copyFileSync(path.join(repositoryRoot, 'infra', 'sagemaker-container', 'Dockerfile'), path.join(outDir, CONTEXT_FILES.dockerfile));
  return { bundleBytes: statSync(bundle).size };
}

if (require.main === module) {
  const outDir = process.argv[2];
  if (outDir === undefined) throw new Error('usage: tsx infra/sagemaker-container/build-context.ts <out-dir>, then docker build <out-dir>');
  const { bundleBytes } = buildInferenceContext(path.resolve(__dirname, '..', '..'), path.resolve(outDir));
  console.log(`built ${outDir}: ${CONTEXT_FILES.bundle} ${bundleBytes} bytes`);
}
