/**
 * Benchmark of streaming ingest (`npm run bench:ingest`, `-- --json` for one JSON line).
 *
 * records/s accepted durably: concurrent `@aws-sdk/client-firehose` clients send 200-byte records
 * with PutRecordBatch (500 a call) to the local Firehose endpoint, served by a separate process as
 * `tributary up` serves it; a record counts once its call has answered, which it does only after the
 * record is fsync'd in the journal (group commit). The stream delivers to the lake meanwhile (5 MiB
 * objects). Medians of several runs; every run checks that the lake holds every record exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { sendRecords } from '../../infra/emulators/firehose/send-records';

const RUNS = 5;
const RECORDS = 100_000;
const RECORD_BYTES = 200;
const CLIENTS = 8;
const SERVER = path.join(__dirname, 'ingest-server-child.ts');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Starts the ingest server in its own process on `home`; resolves with its URL once it listens. */
export function startIngestServer(home: string): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SERVER, home], { cwd: path.join(__dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      const m = /^URL (\S+)$/m.exec(out);
      if (m?.[1] !== undefined) resolve({ url: m[1], child });
    });
    child.on('exit', (code) => reject(new Error(`ingest server exited (${String(code)}) before listening`)));
  });
}

function record(i: number): Buffer {
  const head = `{"n":${i},"pad":"`;
  return Buffer.from(`${head}${'x'.repeat(RECORD_BYTES - head.length - 2)}"}`, 'utf8');
}

async function countLines(dir: string): Promise<number> {
  let lines = 0;
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const text = await fs.readFile(path.join(entry.parentPath, entry.name), 'utf8');
    lines += text.split('\n').length - 1;
  }
  return lines;
}

async function runOnce(): Promise<number> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-ingest-'));
  const { url, child } = await startIngestServer(home);
  const client = new FirehoseClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  try {
    const records = Array.from({ length: RECORDS }, (_, i) => record(i));
    const start = process.hrtime.bigint();
    const summary = await sendRecords(client, 'bench', records, { concurrency: CLIENTS });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (summary.acknowledged !== RECORDS) throw new Error(`acknowledged ${summary.acknowledged} of ${RECORDS}`);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    const landed = await countLines(path.join(home, 'lake', 'raw'));
    if (landed !== RECORDS) throw new Error(`the lake holds ${landed} records, sent ${RECORDS}`);
    return RECORDS / seconds;
  } finally {
    client.destroy();
    child.kill('SIGKILL');
    await fs.rm(home, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const rate = await runOnce();
    rates.push(rate);
    if (!json) console.log(`run ${run + 1}: ${Math.round(rate)} records/s accepted durably`);
  }
  const summary = { recordsPerSecond: Math.round(median(rates)), records: RECORDS, recordBytes: RECORD_BYTES, clients: CLIENTS, runs: RUNS };
  if (json) console.log(JSON.stringify(summary));
  else console.log(`median of ${RUNS} runs (${RECORDS} records of ${RECORD_BYTES} bytes, ${CLIENTS} concurrent clients, PutRecordBatch of 500): ${summary.recordsPerSecond} records/s accepted durably`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
