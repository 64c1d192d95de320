import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { openPipeline } from '../../../../infra/operator/cli/pipeline-handle';
import { endpointFile } from '../../../../infra/emulators/dynamodb/dynalite-server';

describe('openPipeline beside a `tributary up` that is still starting', () => {
  it('waits for its control endpoint instead of running a second pipeline on the home, and says so when none comes', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'tributary-pipeline-'));
    // Another live process holds the home's run state (as `up` does from its first seconds) and has
    // published no control endpoint: a pipeline opened here could not see its work, and `wait` would
    // fail its runs as stalled.
    const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      await writeFile(endpointFile(home), JSON.stringify({ endpoint: 'http://127.0.0.1:9', pid: owner.pid, tables: { runs: 'r', idempotency: 'i' } }));
      await expect(openPipeline(home, { ownerStartMs: 600 })).rejects.toThrow(`process ${owner.pid} holds this home's run state but published no \`tributary up\` control endpoint`);
    } finally {
      owner.kill();
      await rm(home, { recursive: true, force: true });
    }
  });
});
