/**
 * Console benchmark (`npm run bench:console [-- --json] [-- --runs 10000 --rate 1000 --seconds 5 --repeats 5]`).
 *
 * Runs the console as `tributary up` serves it (an embedded runtime on a temp home, the console mounted
 * on its endpoint port) and drives it with headless Debian Chromium:
 * (a) Runs page: the home's run store holds `--runs` runs (default 10,000); a fresh tab opens `#/runs`
 *     and the time from navigation start to the first frame with a run row in the DOM is its first
 *     screen (target ≤ 1 s), median over `--repeats` tabs; also the time of the first (cold) full read of the
 *     run list, which the console does once at start.
 * (b) Event tail: `--rate` events/s (default 1,000) are published on the bus for `--seconds`; a tab
 *     subscribed to `/api/events/stream` counts what arrives and the lag from publish to receipt.
 *     Target: every event arrives and the receive rate keeps up with the publish rate.
 * Figures go to stderr; with `--json` stdout holds exactly one JSON object.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { localTopologyNames } from '../../events/topology-names';
import { EmbeddedRuntime } from '../../infra/local/runtime/embedded-runtime';
import { consoleContext } from '../../infra/operator/console/server/console-context';
import { startConsole } from '../../infra/operator/console/server/console-server';
import { CHROMIUM } from '../infra/operator/console/console-harness';

interface Args {
  readonly json: boolean;
  readonly runs: number;
  readonly rate: number;
  readonly seconds: number;
  readonly repeats: number;
}

function parseArgs(argv: readonly string[]): Args {
  const num = (name: string, fallback: number): number => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${JSON.stringify(argv[i + 1])}`);
    return n;
  };
  return { json: argv.includes('--json'), runs: Math.round(num('runs', 10_000)), rate: num('rate', 1000), seconds: num('seconds', 5), repeats: Math.round(num('repeats', 5)) };
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const p95 = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? 0;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs in the page before its own script: notes `performance.now()` (ms since navigation start) at the
 * first frame drawn after a run row is in the DOM — the first screen — without the test's polling in it.
 */
const FIRST_ROW_PROBE = `
  new MutationObserver((_, observer) => {
    if (!document.querySelector('table[aria-label="runs"] tbody tr.clickable')) return;
    observer.disconnect();
    requestAnimationFrame(() => { window.__firstRow = performance.now(); });
  }).observe(document, { childList: true, subtree: true });
`;

/** Records `count` runs as the stages would: a landing, then register-landing and refine succeeded. */
async function seedRuns(runtime: EmbeddedRuntime, count: number): Promise<void> {
  const runs = runtime.deps.runs;
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const runId = `run-bench-${String(i).padStart(6, '0')}`;
      const landedAt = new Date(t0 + i * 1000).toISOString();
      await runs.recordLanding({ runId, dataset: i % 3 === 0 ? 'energy' : 'traffic', object: { bucket: 'tributary-raw', key: `traffic/bench/file-${i}.jsonl`, etag: `e${i}`, size: 400 + (i % 100) }, landedAt });
      await runs.transition({ runId, stage: 'refine', status: i % 97 === 0 ? 'failed' : 'succeeded', at: new Date(t0 + i * 1000 + 1500).toISOString(), rowCounts: { read: 10, refined: 9, rejected: 1, duplicates: 0 }, ...(i % 97 === 0 ? { error: { errorClass: 'BenchError', message: 'seeded failure', retryable: false } } : {}) });
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const home = await mkdtemp(path.join(os.tmpdir(), 'tributary-bench-console-'));
  const runtime = await EmbeddedRuntime.open({ home, endpointPort: 0, watch: false, consoleAlerts: false });
  const browser = await chromium.launch({ executablePath: CHROMIUM.executablePath, args: [...CHROMIUM.args], headless: true });
  try {
    log(`seeding ${args.runs} runs…`);
    const seedStart = Date.now();
    await seedRuns(runtime, args.runs);
    log(`  seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
    const ctx = consoleContext(runtime);
    const coldStart = Date.now();
    const listed = (await ctx.runList.get()).length;
    const coldReadMs = Date.now() - coldStart;
    const server = await startConsole(ctx, { token: 'ab'.repeat(32) });
    runtime.endpoint?.mount(server.handle);
    const url = runtime.endpoint?.url ?? '';
    log(`  the console read ${listed} runs cold in ${coldReadMs} ms; serving ${url}/`);

    const firstScreens: number[] = [];
    for (let i = 0; i < args.repeats; i++) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.addInitScript(FIRST_ROW_PROBE);
      await page.goto(`${url}/#/runs`);
      await page.waitForFunction('window.__firstRow !== undefined');
      firstScreens.push(Math.round(Number(await page.evaluate('window.__firstRow'))));
      const shown = await page.getByText(`of ${args.runs.toLocaleString('en-US')}`).count();
      if (shown === 0) throw new Error(`the runs page does not show ${args.runs} runs`);
      await page.close();
    }
    log(`runs page, ${args.runs} runs: first screen ${firstScreens.join(', ')} ms → median ${median(firstScreens)} ms (target ≤ 1000)`);

    const page = await browser.newPage();
    await page.goto(`${url}/#/runs`);
    await page.evaluate(`(() => {
      window.__tail = { received: 0, lags: [] };
      const source = new EventSource('/api/events/stream');
      source.addEventListener('events', (e) => {
        const batch = JSON.parse(e.data);
        const now = Date.now();
        for (const a of batch.events) {
          if (a.event.source !== 'bench.console') continue;
          window.__tail.received += 1;
          window.__tail.lags.push(now - a.event.detail.sentAt);
        }
      });
      return new Promise((resolve) => source.addEventListener('hello', () => resolve(true)));
    })()`);
    const total = Math.round(args.rate * args.seconds);
    const tickMs = 10;
    const perTick = Math.max(1, Math.round((args.rate * tickMs) / 1000));
    log(`event tail: publishing ${total} events at ${args.rate}/s…`);
    const start = Date.now();
    let sent = 0;
    for (let k = 0; sent < total; k++) {
      const entries = Array.from({ length: Math.min(perTick, total - sent) }, (_, j) => ({
        Source: 'bench.console', DetailType: 'Bench Tick', EventBusName: localTopologyNames.busName, Detail: JSON.stringify({ i: sent + j, sentAt: Date.now() }),
      }));
      await runtime.bus.putEvents(entries);
      sent += entries.length;
      const wait = start + (k + 1) * tickMs - Date.now();
      if (wait > 0) await sleep(wait);
    }
    const publishMs = Date.now() - start;
    const deadline = Date.now() + 10_000;
    let tail = { received: 0, lags: [] as number[] };
    while (Date.now() < deadline) {
      tail = JSON.parse(String(await page.evaluate('JSON.stringify(window.__tail)')));
      if (tail.received >= sent) break;
      await sleep(100);
    }
    const receiveMs = Math.max(...tail.lags.map((lag, i) => lag + (i * publishMs) / Math.max(1, sent)), publishMs);
    const result = {
      runsPage: { runs: args.runs, firstScreenMs: { median: median(firstScreens), all: firstScreens }, coldRunListReadMs: coldReadMs, targetMs: 1000 },
      eventTail: {
        targetRate: args.rate,
        sent,
        received: tail.received,
        publishRate: Math.round((sent / publishMs) * 1000),
        receiveRate: Math.round((tail.received / receiveMs) * 1000),
        lagMs: { median: median(tail.lags), p95: p95(tail.lags), max: Math.max(0, ...tail.lags) },
      },
    };
    log(`event tail: sent ${sent} at ${result.eventTail.publishRate}/s, received ${tail.received}; lag median ${result.eventTail.lagMs.median} ms, p95 ${result.eventTail.lagMs.p95} ms, max ${result.eventTail.lagMs.max} ms`);
    server.close();
    if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await browser.close();
    await runtime.close();
    await rm(home, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-console: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
