import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { buildInferenceRecords } from '../../../handlers/forecast-model/inference-record';
import type { ForecastModelArtifact } from '../../../handlers/forecast-model/model-artifact';
import { predictRecord } from '../../../handlers/forecast-model/predict';
import { loadModelArtifactIn, SHIPPED_MODEL_DIR } from '../../../infra/shipped/shipped-model';
import { simulateTraffic } from '../../../infra/shipped/traffic-simulation';
import { inferencePort } from '../../../infra/sagemaker-container/main';
import { createInferenceServer } from '../../../infra/sagemaker-container/server';

let artifact: ForecastModelArtifact;
let server: Server;
let base: string;
const readings = simulateTraffic({ sensors: 3, hours: 27, seed: 42, start: '2026-01-08T00:00:00Z' })
  .filter((l) => l.fault === undefined && !l.duplicate)
  .map((l) => ({ key: [l.sensor], time: l.eventTimeMs, value: Number(l.record.currentSpeed) }));
const HOUR = 3_600_000;
const origins = [Date.parse('2026-01-09T01:00:00Z'), Date.parse('2026-01-09T00:00:00Z')].map((start) => ({ start, end: start + HOUR }));
const records = buildInferenceRecords('traffic', readings, { every: '15m', horizon: 4, season: 96 }, origins);

beforeAll(async () => {
  const shipped = await loadModelArtifactIn(SHIPPED_MODEL_DIR);
  if (shipped === undefined) throw new Error('no shipped traffic model');
  artifact = shipped;
  server = createInferenceServer({ artifact });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('SageMaker inference container server', () => {
  it('answers GET /ping with 200 and an empty body', async () => {
    const response = await fetch(`${base}/ping`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('serves POST /invocations (JSON lines) with the same output as predictRecord, line for line', async () => {
    expect(records).toHaveLength(6);
    const body = records.map((r) => JSON.stringify(r)).join('\n');
    const response = await fetch(`${base}/invocations`, { method: 'POST', headers: { 'content-type': 'application/jsonlines' }, body });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/jsonlines');
    const lines = (await response.text()).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual(records.map((r) => predictRecord(artifact, r)));
    expect(lines[0].forecasts).toHaveLength(4);
    expect(lines[0]).toMatchObject({ model: artifact.model, modelVersion: artifact.version });
  });

  it('accepts application/json: one record or an array of records', async () => {
    const one = await fetch(`${base}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(records[0]) });
    expect(await one.json()).toEqual(predictRecord(artifact, records[0] ?? records[1]!));
    const many = await fetch(`${base}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(records) });
    expect(await many.json()).toEqual(records.map((r) => predictRecord(artifact, r)));
  });

  it('answers bad input with 400 naming the line, and keeps serving', async () => {
    const body = `${JSON.stringify(records[0])}\nnot json\n`;
    const bad = await fetch(`${base}/invocations`, { method: 'POST', headers: { 'content-type': 'application/jsonlines' }, body });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/^line 2: not JSON/);
    const csv = await fetch(`${base}/invocations`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a,b' });
    expect(csv.status).toBe(400);
    expect(await csv.text()).toContain('unsupported content type "text/csv"');
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    expect((await fetch(`${base}/ping`)).status).toBe(200);
  });

  it('advertises execution parameters for MultiRecord batches', async () => {
    expect(await (await fetch(`${base}/execution-parameters`)).json()).toEqual({ MaxConcurrentTransforms: 1, BatchStrategy: 'MULTI_RECORD', MaxPayloadInMB: 6 });
  });

  it('listens on 8080 unless SAGEMAKER_BIND_TO_PORT says otherwise', () => {
    expect(inferencePort({})).toBe(8080);
    expect(inferencePort({ SAGEMAKER_BIND_TO_PORT: '9090' })).toBe(9090);
    expect(() => inferencePort({ SAGEMAKER_BIND_TO_PORT: 'x' })).toThrow('SAGEMAKER_BIND_TO_PORT');
  });
});

describe('container entry point (main.ts, as the Dockerfile runs it)', () => {
  it('loads the baked-in model and serves /ping and /invocations', async () => {
    const { spawn } = await import('node:child_process');
    const path = await import('node:path');
    const root = path.join(__dirname, '..', '..', '..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/sagemaker-container/main.ts', 'serve'], {
      cwd: root,
      env: { ...process.env, SAGEMAKER_BIND_TO_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const banner = await new Promise<{ port: number; model: string }>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] ?? '{}'));
        });
        child.on('exit', (code) => reject(new Error(`main.ts exited with ${code}`)));
      });
      expect(banner.model).toBe(`traffic ${artifact.model} ${artifact.version}`);
      const url = `http://127.0.0.1:${banner.port}`;
      expect((await fetch(`${url}/ping`)).status).toBe(200);
      const response = await fetch(`${url}/invocations`, { method: 'POST', headers: { 'content-type': 'application/jsonlines' }, body: JSON.stringify(records[2]) });
      expect(JSON.parse(await response.text())).toEqual(predictRecord(artifact, records[2] ?? records[0]!));
    } finally {
      child.kill();
    }
  });
});
