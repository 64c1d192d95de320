import './quiet-logs';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { generateTrafficSample, type TrafficSampleSummary } from '../../infra/local/sample/traffic-sample';
import { allRuns, dropFiles, dumpTable, NO_DIFF, openRuntime, readSample, runCensus, settle, tableDiff, tempDir, cleanRun, FORECAST, REFINED, type TableDumps } from './pipeline-harness';

jest.setTimeout(240_000);

const CHILD = path.join(__dirname, 'pipeline-child.ts');

/**
 * Starts the pipeline in a child process on `home`, calls `onReady` once it is up, and kills it with
 * SIGKILL as soon as `killOn` matches an event line. Resolves with the events seen before the kill.
 */
function runUntilKilled(home: string, onReady: () => Promise<void>, killOn: (line: string) => boolean): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, home], { cwd: path.join(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
    const seen: string[] = [];
    let buffer = '';
    let stderr = '';
    let killed = false;
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      buffer += text;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line === 'READY') onReady().catch(reject);
        else if (!killed) {
          seen.push(line);
          if (killOn(line)) {
            killed = true;
            child.kill('SIGKILL');
          }
        }
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(seen);
      else reject(new Error(`child exited (${code}) before it was killed: ${stderr.slice(-2000)}`));
    });
  });
}

/** Invariant 2 under crashes: kill -9 mid-pipeline, restart, and the tables are those of a clean run. */
describe('kill -9 of the running pipeline, then a restart', () => {
  const dirs: string[] = [];
  let sampleDir: string;
  let sample: TrafficSampleSummary;
  let clean: TableDumps;

  beforeAll(async () => {
    sampleDir = await tempDir('crash-sample');
    dirs.push(sampleDir);
    sample = await generateTrafficSample({ outDir: sampleDir, sensors: 3, hours: 14, seed: 23 });
    const home = await tempDir('crash-clean');
    dirs.push(home);
    clean = await cleanRun(home, sampleDir, sample.keys);
    expect(clean.refined).toHaveLength(sample.validRows);
    expect(clean.forecast.length).toBeGreaterThan(0);
  });

  afterAll(async () => {
    if (process.env.KEEP_HOMES) process.stderr.write(`kept: ${dirs.join(' ')}\n`);
    else for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['the first refine query finished (before its partitions are swapped in)', (line: string) => line === 'EVENT default Athena Query State Change'],
    ['the first forecast transform finished', (line: string) => line === 'EVENT default SageMaker Transform Job State Change'],
  ])('completes with the clean run\'s tables after a kill when %s', async (_when, killOn) => {
    const home = await tempDir('crash');
    dirs.push(home);
    const files = await readSample(sampleDir, sample.keys);
    const seen = await runUntilKilled(home, () => dropFiles(home, files), killOn);
    expect(seen.some(killOn)).toBe(true);

    const rt = await openRuntime(home);
    try {
      await settle(rt, 180_000);
      expect(tableDiff(clean.refined, await dumpTable(rt, REFINED))).toEqual(NO_DIFF);
      expect(tableDiff(clean.forecast, await dumpTable(rt, FORECAST))).toEqual(NO_DIFF);
      expect(runCensus(await allRuns(rt))).toEqual({ 'forecast:succeeded': sample.files });
      expect(rt.bus.listDeadLetterQueues()).toEqual([]);
    } finally {
      await rt.close();
    }
  });
});
