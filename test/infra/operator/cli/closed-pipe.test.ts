import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

const BIN = path.join(__dirname, '..', '..', '..', '..', 'infra', 'operator', 'cli', 'bin.cjs');
const env = { ...process.env, NODE_NO_WARNINGS: '1', POWERTOOLS_LOG_LEVEL: 'WARN' };

/** Runs the CLI with its stdout a pipe whose reading end is already closed (as `| head` leaves it). */
function intoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })));
}

describe('CLI output to a closed pipe', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'tributary-pipe-'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it.each([[['runs']], [['--help']]])('ends quietly with exit 141, as a tool the pipe ended: tributary %j', async (args) => {
    expect(await intoClosedPipe([...args, '--home', home])).toEqual({ code: 141, stderr: '' });
  });
});
