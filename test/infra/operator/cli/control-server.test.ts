import * as http from 'node:http';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { startControlServer, upFile } from '../../../../infra/operator/cli/control-server';
import { openPipeline } from '../../../../infra/operator/cli/pipeline-handle';
import type { EmbeddedRuntime } from '../../../../infra/local/runtime/embedded-runtime';

/** The parts of a runtime the control server calls, recording replays. */
function fakeRuntime(home: string, replays: unknown[]): EmbeddedRuntime {
  const bus = {
    startReplay: async (input: unknown) => {
      replays.push(input);
      return { ReplayArn: 'arn', State: 'STARTING' };
    },
    describeReplay: async () => ({ State: 'COMPLETED' }),
    listDeadLetterQueues: () => [],
    listDeadLetterMessages: () => [],
    onEvent: () => () => undefined,
    redriveDeadLetterMessage: async (queue: string, id: string) => void replays.push({ redrive: [queue, id] }),
  };
  return { home, bus, endpoint: undefined, waitUntilQuiescent: async () => true } as unknown as EmbeddedRuntime;
}

function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('control endpoint of `tributary up`', () => {
  let home: string;
  let close: (() => Promise<void>) | undefined;
  const replays: unknown[] = [];

  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'tributary-control-'));
    replays.length = 0;
    close = (await startControlServer(fakeRuntime(home, replays))).close;
  });
  afterEach(async () => {
    await close?.();
    await rm(home, { recursive: true, force: true });
  });

  const up = async (): Promise<{ control: string; token: string }> => JSON.parse(await readFile(upFile(home), 'utf8')) as { control: string; token: string };
  const replayBody = JSON.stringify({ ReplayName: 'r', EventSourceArn: 'a', EventStartTime: 0, EventEndTime: 1, Destination: { Arn: 'b' } });

  it('writes a per-home token to up.json, readable by its owner only', async () => {
    expect((await stat(upFile(home))).mode & 0o777).toBe(0o600);
    expect((await up()).token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a call without the token, a foreign Host and a POST body that is not JSON', async () => {
    const { control, token } = await up();
    const auth = { authorization: `Bearer ${token}` };
    expect(await request(`${control}/dlq`, {})).toEqual({ status: 401, body: { message: expect.stringMatching(/control token/) } });
    expect(await request(`${control}/dlq`, { headers: { authorization: `Bearer ${'0'.repeat(64)}` } })).toMatchObject({ status: 401 });
    expect(await request(`${control}/dlq`, { headers: { ...auth, host: 'rebound.example' } })).toEqual({ status: 403, body: { message: expect.stringMatching(/^Host "rebound\.example" is not a loopback/) } });
    expect(await request(`${control}/replay`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: replayBody })).toMatchObject({ status: 401 });
    expect(await request(`${control}/replay`, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: replayBody })).toEqual({ status: 415, body: { message: 'POST bodies must be application/json, got "text/plain"' } });
    expect(replays).toEqual([]);
    expect(await request(`${control}/dlq`, { headers: { ...auth, host: 'localhost' } })).toEqual({ status: 200, body: [] });
    expect(await request(`${control}/replay`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json; charset=utf-8' }, body: replayBody })).toMatchObject({ status: 200 });
    expect(replays).toHaveLength(1);
  });

  it('is what the CLI talks to, with the token, when `up` runs', async () => {
    const pipeline = await openPipeline(home);
    expect(pipeline.remote).toBe(true);
    await pipeline.startReplay({ ReplayName: 'cli', EventSourceArn: 'a', EventStartTime: new Date(0), EventEndTime: new Date(1000), Destination: { Arn: 'b' } });
    expect(replays).toEqual([expect.objectContaining({ ReplayName: 'cli', EventStartTime: 0, EventEndTime: 1 })]);
    expect(await pipeline.replayState('cli')).toBe('COMPLETED');
    expect(await pipeline.listDeadLetters()).toEqual([]);
    expect(await pipeline.waitUntilQuiescent(1000)).toBe(true);
    await pipeline.redrive('q', 'm');
    expect(replays).toContainEqual({ redrive: ['q', 'm'] });
  });
});
