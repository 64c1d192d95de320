import * as path from 'node:path';
import { PipelineError } from '../../../../contracts/pipeline-error';

/** The console page as served: its script and its stylesheet. */
export interface PageBundle {
  readonly js: Uint8Array;
  readonly css: Uint8Array;
}

const WEB = path.join(__dirname, '..', 'web');

/**
 * Bundles `web/main.tsx` (preact, chart.js, dagre and the page code) with esbuild in memory
 * (`write: false`): no build step and no files, so a clean clone's `npm ci` is all the page needs and
 * it works offline. Takes about half a second; done once when the console starts.
 */
export async function bundlePage(): Promise<PageBundle> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [path.join(WEB, 'main.tsx')],
    tsconfig: path.join(WEB, 'tsconfig.json'),
    bundle: true,
    write: false,
    outdir: '/console',
    format: 'esm',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  }).catch((error: unknown) => {
    throw new PipelineError(`the console page did not bundle: ${error instanceof Error ? error.message : String(error)}`, { retryable: false, cause: error });
  });
  const file = (ext: string): Uint8Array => result.outputFiles.find((f) => f.path.endsWith(ext))?.contents ?? new Uint8Array();
  return { js: file('.js'), css: file('.css') };
}
