import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

const BIN = path.join(__dirname, '..', '..', '..', '..', 'infra', 'operator', 'cli', 'bin.cjs');

describe('bin.cjs', () => {
  it('prints no AWS SDK Node-version warning on this Node (a command that builds an SDK client)', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'tributary-bin-'));
    try {
      // Node's own warnings stay on (no NODE_NO_WARNINGS), and the SDK's switch is not preset.
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_NO_WARNINGS' && k !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'));
      const r = spawnSync(process.execPath, [BIN, 'runs', '--home', home], { encoding: 'utf8', env, timeout: 120_000 });
      expect(r.stdout).toMatch(/0 run\(s\)/);
      expect(r.status).toBe(0);
      expect(r.stderr).not.toMatch(/NodeVersionSupportWarning|require node >=/);
      expect(r.stderr.trim()).toBe('');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it.each([
    ['TRIBUTARY_MEMORY', 'lots', 'TRIBUTARY_MEMORY must be a size such as 512MB or 2GB, got "lots"'],
    ['TRIBUTARY_INSPECT_MEMORY', '16MB', 'TRIBUTARY_INSPECT_MEMORY must be at least 64MB, got "16MB"'],
  ])('stops `up` at once with %s=%s, naming the variable, before opening anything that would keep it running', async (name, value, message) => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'tributary-bin-'));
    try {
      const r = spawnSync(process.execPath, [BIN, 'up', '--home', home, '--port', '0', '--firehose-port', '0'], { encoding: 'utf8', env: { ...process.env, [name]: value }, timeout: 120_000 });
      expect(r.signal).toBeNull();
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`tributary: ${message}`);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
