/**
 * Scale benchmark (`npm run bench:scale [-- --json] [-- --files 100,1000,10000 --rows 3000000 --minutes 5]`;
 * for a quicker look: `-- --parts b --base-rows 1000000 --trickle-seconds 60 --no-empty`).
 *
 * Everything runs through the `tributary` command as a user runs it: a separate `up` process per
 * fresh home, files moved into its raw zone by rename (complete files, as `tributary drop`), and
 * `tributary wait` for the end.
 * (a) Files: the same rows (20 sensors × 72 h, the demo sample) in about 100, 1,000 and 10,000
 *     hour-foldered files, each on a fresh home: drop → `wait` exit, per-file cost, and the ratio of
 *     the largest count's per-file cost to the smallest's (target ≤ 1.25).
 * (b) Trickle: a home holding `--rows` rows (default 3M: 720 sensors × 72 h), then one ~7k-line file
 *     every 2 s for `--minutes` minutes (the hours after the home's); landing → forecast latency per
 *     file from run state (the run's `landedAt` to its forecast stage's `endedAt`), median and max
 *     (targets ≤ 2 s and ≤ 5 s); the same trickle on an empty home (target: large ≤ 1.5× empty).
 *     Where the time goes: per milestone of the chain (RawLanded, the raw crawl, refine start and end,
 *     RefinedWritten, the refined crawl, the forecast transform's start, ForecastReady, the forecast's
 *     end), the median time from landing and from the milestone before, from run state and the bus archive.
 * (c) Memory: the `up` process's peak resident memory (VmHWM of /proc/<pid>/status) in each part.
 * `--keep` keeps the homes for inspection. With `--json` prints exactly one JSON object on stdout (the figures are on stderr either way).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { breakdownLines, median, queryTimeLines, queryTimes, stageBreakdown, type BreakdownRow, type QueryKindTimes, type RunTimes } from './stage-breakdown';

interface Args {
  readonly json: boolean;
  readonly files: readonly number[];
  readonly rows: number;
  readonly minutes: number;
  readonly parts: string;
  /** Skip the trickle on an empty home (part b's comparison), for quicker iterations. */
  readonly noEmpty: boolean;
  /** Keep the scratch folder (homes and samples) for inspection; its path is printed. */
  readonly keep: boolean;
}

const BIN = path.join(__dirname, '..', '..', 'infra', 'operator', 'cli', 'bin.cjs');
const HOURS = 72;
const TRICKLE_PERIOD_MS = 2000;
const TRICKLE_LINES = 7000;

function parseArgs(argv: readonly string[]): Args {
  const at = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const positive = (name: string, text: string | undefined, fallback: number): number => {
    const n = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${JSON.stringify(text)}`);
    return n;
  };
  const files = (at('files') ?? '100,1000,10000').split(',').map((s) => Math.round(positive('files', s, 0)));
  const parts = at('parts') ?? 'ab';
  if (!/^[ab]+$/.test(parts)) throw new Error(`--parts must be a, b or ab, got ${JSON.stringify(parts)}`);
  // --base-rows and --trickle-seconds are the same settings as --rows and --minutes, in other units.
  const rows = at('base-rows') === undefined ? positive('rows', at('rows'), 3_000_000) : positive('base-rows', at('base-rows'), 0);
  const minutes = at('trickle-seconds') === undefined ? positive('minutes', at('minutes'), 5) : positive('trickle-seconds', at('trickle-seconds'), 0) / 60;
  return { json: argv.includes('--json'), files, rows: Math.round(rows), minutes, parts, noEmpty: argv.includes('--no-empty'), keep: argv.includes('--keep') };
}


/** Peak resident memory (kB) of a process: VmHWM, read while it lives. */
function vmHwmKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** A running `tributary up` on a home, with its peak memory sampled each second. */
interface Up {
  readonly child: ChildProcess;
  peakKb(): number;
  stop(): Promise<void>;
}

async function startUp(home: string): Promise<Up> {
  const child = spawn(process.execPath, [BIN, '--home', home, 'up', '--port', '0', '--firehose-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' } });
  let peak = 0;
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('tributary up:')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`up exited (${code}) before it was ready: ${log}`)));
  });
  const timer = setInterval(() => {
    if (child.pid !== undefined) peak = Math.max(peak, vmHwmKb(child.pid));
  }, 1000);
  return {
    child,
    peakKb: () => Math.max(peak, child.pid === undefined ? 0 : vmHwmKb(child.pid)),
    stop: async () => {
      if (child.pid !== undefined) peak = Math.max(peak, vmHwmKb(child.pid));
      clearInterval(timer);
      if (child.exitCode !== null) throw new Error(`up died (${child.exitCode}): ${log}`);
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs `tributary wait` on a home; resolves with its exit code. */
function waitFor(home: string, timeoutS: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--home', home, 'wait', '--timeout', String(timeoutS)], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' } });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const problems = err.split('\n').filter((l) => l.startsWith('tributary') || /^\s*run /.test(l) || /failed|stalled|quarantined|dead/.test(l));
      if (code !== 0) process.stderr.write(`  wait exited ${code}: ${problems.slice(0, 8).join(' | ')}\n`);
      resolve(code ?? -1);
    });
  });
}

/** Moves sample files into a home's raw zone by rename (complete files). */
async function drop(sampleDir: string, keys: readonly string[], home: string): Promise<void> {
  for (const key of keys) {
    const target = path.join(home, 'lake', 'raw', ...key.split('/'));
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.rename(path.join(sampleDir, ...key.split('/')), target);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // Progress and figures go to stderr either way; with --json, stdout holds just the one object.
  const say = (text: string): void => {
    process.stderr.write(`${text}\n`);
  };
  // The bench reads run state through the SDK, which warns about Node 20 on load: the CLI's own switch.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { generateTrafficSample } = await import('../../infra/shipped/traffic-sample');
  const { runStoreFor } = await import('../../infra/operator/read-side/aws-side');
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'trib-scale-'));
  const result: Record<string, unknown> = {};
  try {
    if (args.parts.includes('a')) {
      const cases: { files: number; rows: number; seconds: number; perFileMs: number; peakMb: number; waitCode: number }[] = [];
      for (const target of args.files) {
        const sampleDir = path.join(scratch, `files-${target}`);
        // The layout cuts each hour into filesPerHour buffers; 72 h plus late arrivals span about 75 hours.
        const sample = await generateTrafficSample({ outDir: sampleDir, sensors: 20, hours: HOURS, seed: 42, filesPerHour: target / (HOURS + 3) });
        const home = path.join(scratch, `home-${target}`);
        const up = await startUp(home);
        const t0 = Date.now();
        await drop(sampleDir, sample.keys, home);
        const waitCode = await waitFor(home, 3600);
        const seconds = (Date.now() - t0) / 1000;
        await up.stop();
        const c = { files: sample.files, rows: sample.rows, seconds, perFileMs: (seconds * 1000) / sample.files, peakMb: Math.round(up.peakKb() / 1024), waitCode };
        cases.push(c);
        say(`(a) ${c.files} files, ${c.rows} lines: drop → wait ${c.seconds.toFixed(1)} s, ${c.perFileMs.toFixed(1)} ms/file, up peak RSS ${c.peakMb} MB (wait exit ${waitCode})`);
        if (!args.keep) {
          await fs.rm(home, { recursive: true, force: true });
          await fs.rm(sampleDir, { recursive: true, force: true });
        }
      }
      const first = cases[0];
      const last = cases[cases.length - 1];
      const ratio = first && last ? last.perFileMs / first.perFileMs : Number.NaN;
      say(`(a) per-file cost, largest vs smallest: ${ratio.toFixed(2)}× (target ≤ 1.25×)`);
      result.files = { cases, ratio };
    }
    if (args.parts.includes('b')) {
      const sensors = Math.max(1, Math.round(args.rows / (HOURS * 60)));
      const filesPerHour = Math.max(1, (sensors * 60) / TRICKLE_LINES);
      const trickleCount = Math.max(1, Math.round((args.minutes * 60_000) / TRICKLE_PERIOD_MS));
      const trickleHours = Math.ceil(trickleCount / filesPerHour) + 4;
      const sampleDir = path.join(scratch, 'trickle-sample');
      let t = Date.now();
      const sample = await generateTrafficSample({ outDir: sampleDir, sensors, hours: HOURS + trickleHours, seed: 7, filesPerHour });
      say(`(b) sample: ${sensors} sensors, ${sample.files} files, ${sample.rows} lines, generated in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      // The home gets the files of the first 72 arrival hours; the trickle the next ones, in order.
      const folderOf = (key: string): string => key.split('/').slice(1, 5).join('/');
      const folders = [...new Set(sample.keys.map(folderOf))].sort();
      const homeFolders = new Set(folders.slice(0, HOURS));
      const homeKeys = sample.keys.filter((k) => homeFolders.has(folderOf(k)));
      const trickleKeys = sample.keys.filter((k) => !homeFolders.has(folderOf(k))).slice(0, trickleCount);

      const trickle = async (home: string, up: Up, label: string): Promise<Record<string, number | BreakdownRow[] | QueryKindTimes[]>> => {
        // Copy so the same trickle files serve both homes.
        const copyDir = path.join(scratch, `trickle-${label}`);
        for (const key of trickleKeys) {
          await fs.mkdir(path.dirname(path.join(copyDir, key)), { recursive: true });
          await fs.copyFile(path.join(sampleDir, key), path.join(copyDir, key));
        }
        const start = Date.now();
        for (const [i, key] of trickleKeys.entries()) {
          const due = start + i * TRICKLE_PERIOD_MS;
          if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
          await drop(copyDir, [key], home);
        }
        const waitCode = await waitFor(home, 3600);
        const peakMb = Math.round(up.peakKb() / 1024);
        await up.stop();
        const side = await runStoreFor(home, false);
        const latencies: number[] = [];
        // Where the time goes: landing → the end of each stage, per run (medians below).
        const milestones: Record<string, number[]> = {};
        let missing = 0;
        const timed: RunTimes[] = [];
        try {
          const wanted = new Set(trickleKeys.map((k) => k));
          for (const run of (await (await import('../../handlers/stage-kit/all-runs')).allRuns(side.runs))) {
            if (!wanted.has(run.object.key)) continue;
            const detail = await side.runs.getRun(run.runId);
            timed.push({ runId: run.runId, landedAt: run.landedAt, stages: detail?.stages ?? [] });
            for (const stage of detail?.stages ?? []) if (stage.endedAt) (milestones[stage.stage] ??= []).push(Date.parse(stage.endedAt) - Date.parse(run.landedAt));
            const forecast = detail?.stages.find((s) => s.stage === 'forecast' && s.status === 'succeeded');
            if (!forecast?.endedAt) {
              missing++;
              if (missing <= 3) say(`    without a forecast: ${run.object.key} at ${run.lastStage ?? '?'} ${run.lastStatus ?? ''}: ${run.error?.errorClass ?? ''} ${run.error?.message ?? ''}`);
              continue;
            }
            latencies.push(Date.parse(forecast.endedAt) - Date.parse(run.landedAt));
          }
        } finally {
          await side.close();
        }
        const stageEndsMs = Object.fromEntries(Object.entries(milestones).map(([stage, ms]) => [stage, median(ms)]).sort((a, b) => Number(a[1]) - Number(b[1])));
        const breakdown = await stageBreakdown(home, timed);
        const queries = await queryTimes(home, start);
        const out = { files: trickleKeys.length, medianMs: median(latencies), maxMs: Math.max(...latencies), withoutForecast: missing, peakMb, waitCode, stageEndsMs, breakdown, queries };
        say(`(b) trickle on ${label}: ${out.files} files; landing → forecast median ${out.medianMs} ms, max ${out.maxMs} ms (targets ≤ 2000 / ≤ 5000); ${missing} without a forecast; up peak RSS ${peakMb} MB (wait exit ${waitCode})`);
        say(`    median landing → end of each stage: ${Object.entries(stageEndsMs).map(([stage, ms]) => `${stage} ${ms} ms`).join(', ')}`);
        say('    where the time goes (landing → each milestone):');
        for (const line of breakdownLines(breakdown)) say(line);
        say('    the pipeline\'s queries during the trickle, by kind:');
        for (const line of queryTimeLines(queries)) say(line);
        return out;
      };

      const bigHome = path.join(scratch, 'big-home');
      const up = await startUp(bigHome);
      t = Date.now();
      await drop(sampleDir, homeKeys, bigHome);
      const buildCode = await waitFor(bigHome, 3600);
      const buildSeconds = (Date.now() - t) / 1000;
      const buildPeakMb = Math.round(up.peakKb() / 1024);
      say(`(b) large home: ${homeKeys.length} files built in ${buildSeconds.toFixed(1)} s, up peak RSS ${buildPeakMb} MB (wait exit ${buildCode})`);
      const large = await trickle(bigHome, up, 'the large home');
      const emptyHome = path.join(scratch, 'empty-home');
      const empty = args.noEmpty ? undefined : await trickle(emptyHome, await startUp(emptyHome), 'an empty home');
      const ratio = empty === undefined ? Number.NaN : Number(large.medianMs) / Number(empty.medianMs);
      if (empty !== undefined) say(`(b) large vs empty median: ${ratio.toFixed(2)}× (target ≤ 1.5×)`);
      result.trickle = { sensors, homeRows: args.rows, homeFiles: homeKeys.length, buildSeconds, buildPeakMb, large, ...(empty === undefined ? {} : { empty, ratio }) };
    }
    if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    if (args.keep) say(`scratch kept: ${scratch}`);
    else await fs.rm(scratch, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:scale: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
