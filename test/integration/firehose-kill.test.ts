import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { sendRecords } from '../../infra/emulators/firehose/send-records';
import { simulateTraffic } from '../../infra/shipped/traffic-simulation';
import { tempDirs } from './pipeline-harness';

/** Records sent; `INGEST_KILL_RECORDS=100000` for the full run (the CI default keeps the test short). */
const RECORDS = Number(process.env.INGEST_KILL_RECORDS ?? 12_000);
const CLIENTS = 4;
const ROOT = path.join(__dirname, '../..');
const BIN = path.join(ROOT, 'infra/operator/cli/bin.cjs');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts `tributary up` on `home`, its Firehose endpoint on `port`; resolves once the endpoint is served. */
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function startUp(home: string, port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'up', '--home', home, '--port', '0', '--firehose-port', String(port)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TRIBUTARY_FIREHOSE_INTERVAL_MS: '300' },
    });
    children.push(child);
    let out = '';
    let err = '';
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (err += text));
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      if (out.includes('Firehose endpoint')) resolve(child);
    });
    child.once('exit', (code, signal) => reject(new Error(`up exited (${code ?? signal ?? ''}) before serving: ${err.slice(-1500)}`)));
  });
}

function run(args: readonly string[], home: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args, '--home', home], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

async function rawRecordCounts(home: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const dir = path.join(home, 'lake', 'raw', 'traffic');
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    for (const line of (await fs.readFile(path.join(entry.parentPath, entry.name), 'utf8')).split('\n')) {
      if (line !== '') counts.set(line, (counts.get(line) ?? 0) + 1);
    }
  }
  return counts;
}

describe('streaming ingest survives kill -9 of `tributary up`', () => {
  const dir = tempDirs();

  it(`lands ${RECORDS} records sent by concurrent clients exactly once if acknowledged, at least once if resent, and the pipeline refines them`, async () => {
    const home = await dir('firehose-kill');
    const port = await freePort();
    const hours = 12;
    const lines = simulateTraffic({ sensors: Math.ceil(RECORDS / (60 * hours) / 0.95), hours, seed: 7 }).filter((l) => l.fault === undefined && !l.duplicate);
    const records = lines.slice(0, RECORDS).map((l) => Buffer.from(JSON.stringify(l.record), 'utf8'));
    expect(records).toHaveLength(RECORDS);

    let up = await startUp(home, port);
    const client = new FirehoseClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const unanswered = new Set<string>();
    let acknowledged = 0;
    let restarted: Promise<ChildProcess> | undefined;
    const summary = await sendRecords(client, 'traffic', records, {
      concurrency: CLIENTS,
      attempts: 100,
      onUnanswered: (batch) => batch.forEach((r) => unanswered.add(Buffer.from(r).toString('utf8'))),
      onAcknowledged: (batch) => {
        acknowledged += batch.length;
        if (restarted === undefined && acknowledged >= RECORDS / 3) {
          const killed = up;
          restarted = new Promise<void>((resolve) => killed.once('exit', () => resolve())).then(() => startUp(home, port));
          killed.kill('SIGKILL');
        }
      },
    });
    client.destroy();
    expect(restarted).toBeDefined();
    up = await (restarted ?? Promise.reject(new Error('never killed')));
    expect(summary.acknowledged).toBe(RECORDS);

    const waited = await run(['wait', '--timeout', '240'], home);
    expect({ code: waited.code, err: waited.code === 0 ? '' : waited.err.slice(-2000) }).toEqual({ code: 0, err: '' });

    const counts = await rawRecordCounts(home);
    const missing = records.filter((r) => !counts.has(r.toString('utf8')));
    const repeated = [...counts].filter(([, n]) => n > 1).map(([line]) => line);
    expect(missing.length).toBe(0);
    expect(counts.size).toBe(RECORDS);
    expect(repeated.filter((line) => !unanswered.has(line))).toEqual([]);
    expect(unanswered.size).toBeGreaterThan(0);
    process.stdout.write(`firehose kill test: ${RECORDS} acknowledged, ${unanswered.size} resent after no answer, ${repeated.length} of those landed twice\n`);

    const refined = await run(['query', 'SELECT count(*) AS n FROM tributary_refined.traffic', '--json'], home);
    expect(refined.code).toBe(0);
    expect(JSON.parse(refined.out)).toEqual([{ n: String(RECORDS) }]);

    const exited = new Promise((resolve) => up.once('exit', resolve));
    up.kill('SIGTERM');
    await exited;
  }, 300_000);
});
