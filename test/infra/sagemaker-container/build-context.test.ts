import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildInferenceRecords } from '../../../handlers/forecast-model/inference-record';
import { predictRecord } from '../../../handlers/forecast-model/predict';
import { seriesSpecOf } from '../../../handlers/forecast-model/series-spec';
import { loadModelArtifactIn, SHIPPED_MODEL_DIR } from '../../../infra/shipped/shipped-model';
import { buildInferenceContext } from '../../../infra/sagemaker-container/build-context';

const repositoryRoot = path.join(__dirname, '..', '..', '..');

/** The image's file system as the Dockerfile's WORKDIR and COPY lines lay the context out, and its ENTRYPOINT arguments. */
function layOutImage(context: string, root: string): { workdir: string; entrypoint: string[] } {
  const lines = readFileSync(path.join(context, 'Dockerfile'), 'utf8').split('\n');
  let workdir = root;
  let entrypoint: string[] = [];
  for (const line of lines) {
    const [instruction, ...args] = line.trim().split(/\s+/);
    if (instruction === 'WORKDIR') workdir = path.join(root, args[0] ?? '');
    if (instruction === 'COPY' && args.length === 2) {
      const target = path.resolve(workdir, args[1] ?? '');
      mkdirSync(path.dirname(target), { recursive: true });
      cpSync(path.join(context, args[0] ?? ''), target, { recursive: true });
    }
    if (instruction === 'ENTRYPOINT') entrypoint = JSON.parse(args.join(' ')) as string[];
  }
  return { workdir, entrypoint };
}

describe('the forecast image build context', () => {
  it('holds only the Dockerfile, one esbuild bundle and the model, and the bundle serves the model with no node_modules', async () => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'tributary-image-'));
    try {
      const context = path.join(scratch, 'context');
      mkdirSync(path.join(context, 'model'), { recursive: true });
      writeFileSync(path.join(context, 'model', 'traffic-speed-stale.json'), '{}');
      const { bundleBytes } = buildInferenceContext(repositoryRoot, context);
      expect(readdirSync(path.join(context, 'model'))).toEqual(readdirSync(path.join(repositoryRoot, 'sql', 'traffic', 'model')));
      expect(readdirSync(context).sort()).toEqual(['Dockerfile', 'main.js', 'model']);
      expect(bundleBytes).toBe(statSync(path.join(context, 'main.js')).size);
      expect(bundleBytes).toBeLessThan(1024 * 1024);
      const { workdir, entrypoint } = layOutImage(context, path.join(scratch, 'image'));
      expect(entrypoint[0]).toBe('node');
      const child = spawn(process.execPath, entrypoint.slice(1), { cwd: workdir, env: { PATH: process.env.PATH ?? '', SAGEMAKER_BIND_TO_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        const banner = await new Promise<{ port: number; model: string }>((resolve, reject) => {
          let out = '';
          let err = '';
          child.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] ?? '{}') as { port: number; model: string });
          });
          child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
          child.on('exit', (code) => reject(new Error(`the bundle exited with ${code}: ${err}`)));
        });
        const artifact = await loadModelArtifactIn(SHIPPED_MODEL_DIR);
        if (!artifact) throw new Error('no shipped traffic model');
        expect(banner.model).toBe(`${artifact.dataset} ${artifact.model} ${artifact.version}`);
        const url = `http://127.0.0.1:${banner.port}`;
        expect((await fetch(`${url}/ping`)).status).toBe(200);
        const origin = Date.parse('2026-01-09T00:00:00Z');
        const rows = Array.from({ length: 30 }, (_, i) => ({ key: ['S1'], time: origin + 59 * 60_000 - i * 60_000, value: 60 + (i % 7) }));
        const [record] = buildInferenceRecords('traffic', rows, seriesSpecOf({ every: '15m', horizon: 4 }), [{ start: origin, end: origin + 3_600_000 }]);
        if (!record) throw new Error('no inference record');
        const response = await fetch(`${url}/invocations`, { method: 'POST', headers: { 'content-type': 'application/jsonlines' }, body: JSON.stringify(record) });
        expect(JSON.parse(await response.text())).toEqual(predictRecord(artifact, record));
      } finally {
        child.kill();
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
