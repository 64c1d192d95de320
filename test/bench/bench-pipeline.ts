/**
 * Pipeline benchmark (`npm run bench:pipeline [-- --json] [-- --sensors N --hours H --repeats R]`).
 *
 * 1. Demo latency: a fresh home, the default demo sample (DEFAULT_TRAFFIC_SAMPLE) dropped into the raw
 *    zone, and the time from the drop to the last `ForecastReady` before the pipeline is quiescent.
 * 2. Refine throughput on ≥3 million rows next to its floor, on one home holding a big sample that
 *    the pipeline has landed, crawled and refined once (with the forecast rule's target removed on
 *    that home, so only the refine path runs):
 *    - pipeline refine: the refine stage over every run (its UNLOAD through the query engine, in
 *      windows of ≤100 partitions), then announce-refined's staged swap and partition registration,
 *      timed from the stage's start to the `RefinedWritten` event;
 *    - floor: one bare DuckDB `COPY (<the same refine SELECT, translated as the engine translates it>)
 *      TO … (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (year, month, day, hour))` on the
 *      engine's own connection (the same narrowed view of the same raw objects, same settings).
 *    Each is run `repeats` times, alternating; medians are reported, with the pipeline refine's phases
 *    (before the rejects query, rejects query, rejects files, refine query, announce-refined) timed
 *    from the Athena state-change events and `RefinedWritten` on the bus.
 * 3. Steady state: on that home, the refine of one object alone (the first, middle and last landed),
 *    from the stage's start to its `RefinedWritten`.
 * Prints figures; with `--json` prints exactly one JSON line:
 * `{"demoLatencyMs": n, "refineRows": n, "refineSeconds": n, "bareCopySeconds": n}`.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

interface Args {
  readonly json: boolean;
  readonly sensors: number;
  readonly hours: number;
  readonly repeats: number;
}

function parseArgs(argv: readonly string[]): Args {
  const value = (name: string, fallback: number): number => {
    const at = argv.indexOf(`--${name}`);
    const n = at >= 0 ? Number(argv[at + 1]) : fallback;
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number`);
    return n;
  };
  return { json: argv.includes('--json'), sensors: value('sensors', 720), hours: value('hours', 72), repeats: value('repeats', 3) };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const say = (text: string): void => {
    process.stderr.write(args.json ? '' : `${text}\n`);
  };
  const { EmbeddedRuntime } = await import('../../infra/local/runtime/embedded-runtime');
  const { DEFAULT_TRAFFIC_SAMPLE, generateTrafficSample } = await import('../../infra/shipped/traffic-sample');
  const { refine } = await import('../../handlers/refine');
  const { bindSql } = await import('../../handlers/sql/bind-sql');
  const { databaseParams } = await import('../../handlers/stage-kit/dataset-sql');
  const { planRefine, windowParams, windowsWithObjects } = await import('../../handlers/stage-kit/refine-plan');
  const { translateSql } = await import('../../infra/emulators/query/translate-sql');
  const { exposePath } = await import('../../infra/emulators/query/expose-path');
  const { CatalogViews } = await import('../../infra/emulators/query/catalog-views');
  const { DuckDBConnection } = await import('@duckdb/node-api');
  const { ruleTable } = await import('../../events/rules');
  const { StageId } = await import('../../events/stage-ids');
  const { AthenaQueryStateChangeEventSchema } = await import('../../contracts/aws-events');

  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'trib-bench-'));
  type Runtime = Awaited<ReturnType<typeof EmbeddedRuntime.open>>;
  const open = (home: string): Promise<Runtime> => EmbeddedRuntime.open({ home, consoleAlerts: false });

  /** Moves a sample's files into a home's raw zone by rename (complete files, as `tributary drop`). */
  const drop = async (sampleDir: string, keys: readonly string[], home: string): Promise<void> => {
    for (const key of keys) {
      const target = path.join(home, 'lake', 'raw', ...key.split('/'));
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.rename(path.join(sampleDir, ...key.split('/')), target);
    }
  };
  const settle = async (rt: Runtime): Promise<void> => {
    if (!(await rt.waitUntilQuiescent({ timeoutMs: 30 * 60_000 }))) throw new Error('pipeline not quiescent after 30 minutes');
    const dlq = rt.bus.listDeadLetterQueues();
    if (dlq.length > 0) throw new Error(`dead letters: ${JSON.stringify(dlq)}`);
  };

  try {
    // 1. Demo latency: drop to the last ForecastReady.
    const demoSample = path.join(scratch, 'demo-sample');
    const demo = await generateTrafficSample({ outDir: demoSample, ...DEFAULT_TRAFFIC_SAMPLE });
    const demoHome = path.join(scratch, 'demo-home');
    const rt = await open(demoHome);
    let lastReady = 0;
    let firstReady = 0;
    const stop = rt.bus.onEvent(({ event }) => {
      if (event['detail-type'] !== 'ForecastReady') return;
      lastReady = Date.now();
      firstReady ||= lastReady;
    });
    const dropped = Date.now();
    await drop(demoSample, demo.keys, demoHome);
    await settle(rt);
    stop();
    await rt.close();
    const demoLatencyMs = lastReady - dropped;
    say(`demo sample: ${demo.files} files, ${demo.validRows} valid rows (${DEFAULT_TRAFFIC_SAMPLE.sensors} sensors × ${DEFAULT_TRAFFIC_SAMPLE.hours} h)`);
    say(`  drop → first ForecastReady ${firstReady - dropped} ms, drop → last ForecastReady ${demoLatencyMs} ms`);

    // 2. Big sample through the whole pipeline once.
    const bigSample = path.join(scratch, 'big-sample');
    let t = Date.now();
    const big = await generateTrafficSample({ outDir: bigSample, sensors: args.sensors, hours: args.hours, seed: 42 });
    say(`big sample: ${big.files} files, ${big.rows} lines, ${big.validRows} valid rows, generated in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const home = path.join(scratch, 'big-home');
    const brt = await open(home);
    try {
      // This part measures the refine: the forecast rule's target is removed on this home, so forecasts
      // of 3M rows (measured by part 1 on the demo sample) do not run between the repeats.
      const forecastRule = ruleTable().find((row) => row.target === StageId.Forecast);
      if (forecastRule) await brt.bus.removeTargets({ Rule: forecastRule.id, EventBusName: forecastRule.eventBusName, Ids: [forecastRule.target] });
      t = Date.now();
      await drop(bigSample, big.keys, home);
      await settle(brt);
      say(`  first pass (land, crawl, refine, views; no forecast) to quiescent: ${((Date.now() - t) / 1000).toFixed(1)} s`);

      const runIds = (await collectRunIds(brt)).sort();
      const found = await brt.deps.datasets.getDataset('traffic');
      if (!found) throw new Error('traffic dataset not found');
      // The refine's queries: its windows, each with the raw objects it reads (the floor reads the same).
      const windows = await windowsWithObjects(planRefine(found.manifest, await brt.deps.runs.getRunSummaries(runIds)).windows, found.manifest, async (span) => (await brt.deps.runs.findObjectsOverlapping('traffic', span)).map((o) => `s3://${o.object.bucket}/${o.object.key}`));
      const connection = Reflect.get(brt.query, 'viewsConnection');
      const views = Reflect.get(brt.query, 'views');
      if (!(connection instanceof DuckDBConnection) || !(views instanceof CatalogViews)) throw new Error('query engine internals changed: no DuckDB connection/views');
      const keys = found.manifest.partitioning.keys.join(', ');

      const pipelineSeconds: number[] = [];
      const floorSeconds: number[] = [];
      const phaseMs: Record<string, number[]> = {};
      let refineRows = 0;
      for (let r = 0; r < args.repeats; r++) {
        // Pipeline refine: a distinct run order gives a distinct job id (the stage's query token), same plan.
        const order = [...runIds.slice(r + 1), ...runIds.slice(0, r + 1)];
        let rows = 0;
        let done: () => void = () => undefined;
        const finished = new Promise<void>((resolve) => (done = resolve));
        const off = brt.bus.onEvent(({ event }) => {
          if (event['detail-type'] !== 'RefinedWritten' || event['replay-name'] !== undefined) return;
          const d = event.detail as { runIds: string[]; rows: number };
          if (JSON.stringify(d.runIds) !== JSON.stringify(order)) return;
          // One RefinedWritten ends the refine, whatever its windows: the last window settles it.
          rows += d.rows;
          done();
        });
        // Phase marks from the bus: the rejects query (read workgroup) and the refine query (refine
        // workgroup) announce QUEUED and SUCCEEDED, and RefinedWritten ends the refine.
        const marks = new Map<string, number>();
        const offMarks = brt.bus.onEvent(({ event }) => {
          const parsed = AthenaQueryStateChangeEventSchema.safeParse(event);
          if (!parsed.success) return;
          const d = parsed.data.detail;
          const key = `${d.workgroupName === brt.deps.topology.readWorkgroup ? 'rejects' : 'refine'}:${d.currentState}`;
          if (!marks.has(key)) marks.set(key, Date.now());
        });
        const start = Date.now();
        await refine({ dataset: 'traffic', runIds: order }, brt.deps);
        await finished;
        const end = Date.now();
        pipelineSeconds.push((end - start) / 1000);
        off();
        offMarks();
        const at = (key: string): number => marks.get(key) ?? Number.NaN;
        const phases: Record<string, number> = {
          'rejects query': at('rejects:SUCCEEDED') - at('rejects:QUEUED'),
          'rejects files': at('refine:QUEUED') - at('rejects:SUCCEEDED'),
          'refine query': at('refine:SUCCEEDED') - at('refine:QUEUED'),
          'announce-refined (swap, succeeded transitions)': end - at('refine:SUCCEEDED'),
          'before the rejects query (runs read, starts recorded)': at('rejects:QUEUED') - start,
        };
        for (const [name, ms] of Object.entries(phases)) (phaseMs[name] ??= []).push(ms);
        refineRows = rows;
        await settle(brt);

        // Floor: the same SELECT per window, one bare COPY each, on the engine's connection.
        const floorDir = path.join(home, 'lake', 'refined', '_floor', String(r));
        await fs.mkdir(floorDir, { recursive: true });
        const fstart = Date.now();
        await connection.run(`SET search_path = 'awsdatacatalog.tributary_raw,awsdatacatalog.main'`);
        for (const { window, objects } of windows) {
          const body = bindSql(found.refineSql.trim().replace(/;\s*$/, ''), { ...databaseParams(brt.deps.topology), ...windowParams(window, found.manifest, objects) }, Object.keys(databaseParams(brt.deps.topology)));
          const translated = await exposePath(connection, translateSql(body), (schema, table) => views.hasTable('tributary_raw', schema, table), (schema, table, paths) => views.narrowedPathView('tributary_raw', schema, table, paths));
          await connection.run(`COPY (${translated.sql}\n) TO '${floorDir}' (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (${keys}), OVERWRITE_OR_IGNORE)`);
        }
        floorSeconds.push((Date.now() - fstart) / 1000);
        await fs.rm(floorDir, { recursive: true, force: true });
        say(`  repeat ${r + 1}: pipeline refine ${pipelineSeconds[r]?.toFixed(2)} s (${rows} rows, ${windows.length} window(s)), bare COPY ${floorSeconds[r]?.toFixed(2)} s`);
      }
      const refineSeconds = median(pipelineSeconds);
      const bareCopySeconds = median(floorSeconds);
      say(`  pipeline refine phases (median ms, from bus events): ${Object.entries(phaseMs).map(([name, ms]) => `${name} ${Math.round(median(ms))}`).join('; ')}`);
      // Each repeat's own ratio (the pipeline against the floor run right after it) shows how much the machine drifted.
      const paired = pipelineSeconds.map((p, i) => p / (floorSeconds[i] ?? Number.NaN));
      say(`  per-repeat ratios: ${paired.map((x) => `${x.toFixed(2)}×`).join(', ')} (median ${median(paired).toFixed(2)}×)`);
      say(`refine of ${refineRows} rows: pipeline ${refineSeconds.toFixed(2)} s (${Math.round(refineRows / refineSeconds)} rows/s), bare DuckDB COPY ${bareCopySeconds.toFixed(2)} s; ratio ${(refineSeconds / bareCopySeconds).toFixed(2)}× (target ≤ 1.3×)`);

      // 3. Steady state: the refine of one object on this big home (its hours, from the objects that
      // overlap them), which is what each new file costs once the raw zone is large.
      const oneMs: number[] = [];
      for (const runId of [runIds[0], runIds[Math.floor(runIds.length / 2)], runIds[runIds.length - 1]]) {
        if (runId === undefined) continue;
        let done: () => void = () => undefined;
        const finished = new Promise<void>((resolve) => (done = resolve));
        const off = brt.bus.onEvent(({ event }) => {
          if (event['detail-type'] === 'RefinedWritten' && JSON.stringify((event.detail as { runIds: string[] }).runIds) === JSON.stringify([runId])) done();
        });
        const start = Date.now();
        await refine({ dataset: 'traffic', runIds: [runId] }, brt.deps);
        await finished;
        oneMs.push(Date.now() - start);
        off();
        await settle(brt);
      }
      say(`one object's refine on this home (${runIds.length} objects in raw): ${oneMs.join(', ')} ms (median ${median(oneMs)} ms)`);
      if (args.json) process.stdout.write(`${JSON.stringify({ demoLatencyMs, refineRows, refineSeconds, bareCopySeconds })}\n`);
    } finally {
      await brt.close();
    }
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

async function collectRunIds(rt: { deps: { runs: { listRuns(o: { limit?: number; cursor?: string }): Promise<{ runs: readonly { runId: string }[]; cursor?: string }> } } }): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await rt.deps.runs.listRuns({ limit: 500, ...(cursor ? { cursor } : {}) });
    ids.push(...page.runs.map((r) => r.runId));
    cursor = page.cursor;
  } while (cursor);
  return ids;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:pipeline: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
