/**
 * Crawl benchmark for a burst (`npx tsx test/bench/bench-crawl-burst.ts [--files N] [--json]`): a fresh
 * home, a re-split of the traffic sample into N small files (default 1,000; 10 per hour folder)
 * dropped at once, then the pipeline run to quiescence. Reports the wall time to quiescence, the raw
 * crawls (count, summed and longest Started → Succeeded time, folders/files each read), the raw
 * `TableCrawled` events and how many named each run, and the refine attempts per run from run state;
 * then 10 more files in one new hour folder, and that follow-up's raw crawls and what they read.
 * With `--json` prints one JSON object.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

function parseArgs(argv: readonly string[]): { files: number; json: boolean } {
  const at = argv.indexOf('--files');
  const files = at >= 0 ? Number(argv[at + 1]) : 1000;
  if (!Number.isInteger(files) || files < 10) throw new Error('--files must be a whole number >= 10');
  return { files, json: argv.includes('--json') };
}

/** How often each value occurs, as `{ value: count }`. */
function histogram(values: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { EmbeddedRuntime } = await import('../../infra/local/runtime/embedded-runtime');
  const { generateTrafficSample } = await import('../../infra/shipped/traffic-sample');
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-crawl-burst-'));
  const sampleDir = path.join(root, 'sample');
  const home = path.join(root, 'home');
  const hours = Math.ceil(args.files / 10);
  const sample = await generateTrafficSample({ outDir: sampleDir, sensors: 2, hours, seed: 7, filesPerHour: 10, start: '2026-01-05T00:00:00Z' });
  const rt = await EmbeddedRuntime.open({ home, consoleAlerts: false });
  const crawlerName = 'tributary-traffic-raw';
  const starts: number[] = [];
  const durations: number[] = [];
  const namings = new Map<string, number>();
  let tableCrawled = 0;
  const stop = rt.bus.onEvent(({ bus, event }) => {
    const detail = event.detail as { crawlerName?: string; state?: string; zone?: string; runIds?: string[] };
    // Glue's events are seen on `default` and again forwarded to our bus: count them once.
    if (bus === 'default' && event['detail-type'] === 'Glue Crawler State Change' && detail.crawlerName === crawlerName) {
      if (detail.state === 'Started') starts.push(Date.now());
      else durations.push(Date.now() - (starts[durations.length] ?? Date.now()));
    }
    if (event['detail-type'] === 'TableCrawled' && detail.zone === 'raw') {
      tableCrawled++;
      for (const id of detail.runIds ?? []) namings.set(id, (namings.get(id) ?? 0) + 1);
    }
  });
  try {
    const began = Date.now();
    const staging = path.join(home, 'drop-staging');
    await fs.mkdir(staging, { recursive: true });
    for (const key of sample.keys) {
      const tmp = path.join(staging, path.basename(key));
      await fs.copyFile(path.join(sampleDir, ...key.split('/')), tmp);
      const target = path.join(home, 'lake', 'raw', ...key.split('/'));
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.rename(tmp, target);
    }
    if (!(await rt.waitUntilQuiescent({ timeoutMs: 1_800_000 }))) throw new Error('not quiescent after 30 minutes');
    const wallSeconds = (Date.now() - began) / 1000;
    const runIds: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await rt.deps.runs.listRuns({ limit: 500, ...(cursor ? { cursor } : {}) });
      runIds.push(...page.runs.map((r) => r.runId));
      cursor = page.cursor;
    } while (cursor);
    const refineAttempts: number[] = [];
    for (const id of runIds) refineAttempts.push((await rt.deps.runs.getRun(id))?.stages.find((s) => s.stage === 'refine')?.attempts ?? 0);
    const report = await rt.crawler.getLastCrawlReport(crawlerName);
    // Then a small follow-up on the now large lake: 10 files in one new hour folder.
    const burstCrawls = durations.length;
    const follow = path.join(sampleDir, 'follow-up');
    const extra = await generateTrafficSample({ outDir: follow, sensors: 2, hours: 1, seed: 11, filesPerHour: 10, start: new Date(Date.parse('2026-01-05T00:00:00Z') + (hours + 4) * 3_600_000).toISOString() });
    const followBegan = Date.now();
    for (const key of extra.keys) {
      const tmp = path.join(staging, path.basename(key));
      await fs.copyFile(path.join(follow, ...key.split('/')), tmp);
      const target = path.join(home, 'lake', 'raw', ...key.split('/'));
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.rename(tmp, target);
    }
    if (!(await rt.waitUntilQuiescent({ timeoutMs: 600_000 }))) throw new Error('follow-up not quiescent after 10 minutes');
    const followUp = {
      files: extra.files,
      wallSeconds: (Date.now() - followBegan) / 1000,
      rawCrawls: durations.length - burstCrawls,
      rawCrawlSeconds: durations.slice(burstCrawls).map((d) => d / 1000),
      lastRawCrawlReads: (await rt.crawler.getLastCrawlReport(crawlerName) as { reads?: unknown } | undefined)?.reads ?? null,
    };
    const result = {
      files: sample.files,
      runs: runIds.length,
      wallSeconds,
      rawCrawls: durations.length,
      rawCrawlSecondsTotal: durations.reduce((a, b) => a + b, 0) / 1000,
      rawCrawlSecondsMax: Math.max(0, ...durations) / 1000,
      lastRawCrawlReads: (report as { reads?: unknown } | undefined)?.reads ?? null,
      rawTableCrawled: tableCrawled,
      tableCrawledNamingsPerRun: histogram(runIds.map((id) => namings.get(id) ?? 0)),
      refineAttemptsPerRun: histogram(refineAttempts),
      followUp,
    };
    process.stdout.write(args.json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    stop();
    await rt.close();
    await fs.rm(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-crawl-burst: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
