import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const BIN = path.join(__dirname, '..', '..', '..', '..', '..', 'infra', 'operator', 'cli', 'bin.cjs');
const env = { ...process.env, NODE_NO_WARNINGS: '1', POWERTOOLS_LOG_LEVEL: 'WARN' };

describe('tributary up', () => {
  let home: string;
  let taken: net.Server;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'tributary-up-'));
    taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => taken.close(resolve));
    await rm(home, { recursive: true, force: true });
  });

  it('exits 1 with one line naming the port and how to choose another when its port is taken', () => {
    const address = taken.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const r = spawnSync(process.execPath, [BIN, 'up', '--port', String(port), '--home', home], { encoding: 'utf8', env, timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`tributary: port ${port} on 127.0.0.1 is already in use (another \`tributary up\` or emulator?); choose another with --port N or TRIBUTARY_PORT=N (0 picks a free one)\n`);
    expect(r.stdout).toBe('');
  });
});
