import * as path from 'node:path';
import { PipelineError } from '../../../../contracts/pipeline-error';

/** The console page as served: each output file (`app.js`, `app.css`, `chunk-<hash>.js`…) by name. */
export type PageBundle = ReadonlyMap<string, { readonly type: string; readonly body: Uint8Array }>;

const TYPES: Readonly<Record<string, string>> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

const WEB = path.join(__dirname, '..', 'web');

/**
 * Bundles `web/main.tsx` (preact, chart.js, dagre and the page code) with esbuild in memory
 * (`write: false`): no build step and no files, so a clean clone's `npm ci` is all the page needs and
 * it works offline. Code splitting keeps the first screen light: chart.js loads when a chart is first
 * drawn. Takes about half a second; done once when the console starts.
 */
export async function bundlePage(): Promise<PageBundle> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [{ in: path.join(WEB, 'main.tsx'), out: 'app' }],
    tsconfig: path.join(WEB, 'tsconfig.json'),
    bundle: true,
    write: false,
    outdir: '/console',
    format: 'esm',
    splitting: true,
    chunkNames: 'chunk-[hash]',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  }).catch((error: unknown) => {
    throw new PipelineError(`the console page did not bundle: ${error instanceof Error ? error.message : String(error)}`, { retryable: false, cause: error });
  });
  return new Map(result.outputFiles.map((f) => [path.basename(f.path), { type: TYPES[path.extname(f.path)] ?? 'application/octet-stream', body: f.contents }]));
}
