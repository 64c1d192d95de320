/**
 * `npm run bench:formats [-- --rows N] [-- --json]`: the refine of one big file in each raw format
 * against its floor, and a sparse daily dataset end to end, on the embedded default.
 *
 * 1. Formats: N rows (default 1,000,000) of the vega-datasets flights (date, delay, distance, origin,
 *    destination; realistic shape: 2001 departures) written as JSON lines, CSV and Parquet. For each,
 *    a fresh home, a dataset made by `dataset new` from the file (grain day), the file dropped; timed
 *    from the drop to its `RefinedWritten`. Floor, same run: one bare DuckDB `COPY` of the same refine
 *    SELECT (as the engine translates it) from the same file into the same partitioned layout.
 *    Target: each format within 2x its floor.
 * 2. Daily: four years of daily rows (Seattle weather) in 48 monthly CSV files, partitioned by day,
 *    drop to quiescent. Target: within 10 s.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

type Format = 'jsonl' | 'csv' | 'parquet';

interface Args {
  readonly rows: number;
  readonly json: boolean;
  readonly formats: readonly Format[];
  readonly daily: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const at = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  const rows = Number(at('--rows') ?? 1_000_000);
  if (!Number.isInteger(rows) || rows < 1000) throw new Error(`--rows must be a whole number of at least 1000, got ${JSON.stringify(at('--rows'))}`);
  const formats = (at('--formats') ?? 'jsonl,csv,parquet').split(',').map((f) => f.trim());
  for (const f of formats) if (f !== 'jsonl' && f !== 'csv' && f !== 'parquet') throw new Error(`--formats takes jsonl, csv and parquet, got ${JSON.stringify(f)}`);
  return { rows, json: argv.includes('--json'), formats: formats.filter((f): f is Format => f === 'jsonl' || f === 'csv' || f === 'parquet'), daily: !argv.includes('--no-daily') };
}

async function formatRun(format: Format, rows: number, scratch: string, say: (line: string) => void): Promise<Record<string, unknown>> {
  const { DuckDBInstance, DuckDBConnection } = await import('@duckdb/node-api');
  const { newDataset } = await import('../../infra/datasets/new-dataset');
  const { EmbeddedRuntime } = await import('../../infra/local/runtime/embedded-runtime');
  const { CatalogViews } = await import('../../infra/emulators/query/catalog-views');
  const { translateSql } = await import('../../infra/emulators/query/translate-sql');
  const { exposePath } = await import('../../infra/emulators/query/expose-path');
  const { bindSql } = await import('../../handlers/sql/bind-sql');
  const { databaseParams } = await import('../../handlers/stage-kit/dataset-sql');
  const { planRefine, windowParams, windowsWithObjects } = await import('../../handlers/stage-kit/refine-plan');
  const { VEGA_DATA } = await import('../integration/dataset-folders');
  const { StageTimings, formatTimings } = await import('./stage-timings');
  const ext = format === 'jsonl' ? 'jsonl' : format;
  const file = path.join(scratch, `flights.${ext}`);
  const sample = path.join(scratch, `sample.${ext}`);
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    const select = (n: number): string => `SELECT strftime(date, '%Y-%m-%d %H:%M:%S') AS date, delay, distance, origin, destination FROM read_parquet('${path.join(VEGA_DATA, 'flights-3m.parquet')}') LIMIT ${n}`;
    const options = format === 'csv' ? '(FORMAT csv, HEADER true)' : format === 'jsonl' ? '(FORMAT json)' : '(FORMAT parquet)';
    await c.run(`COPY (${select(rows)}) TO '${file}' ${options}`);
    await c.run(`COPY (${select(2000)}) TO '${sample}' ${options}`);
  } finally {
    c.closeSync();
    db.closeSync();
  }
  const bytes = (await fs.stat(file)).size;
  const home = path.join(scratch, `home-${format}`);
  await newDataset({ name: 'flights', from: sample, eventTime: 'date', timeFormat: '%Y-%m-%d %H:%M:%S', grain: 'day', dir: path.join(home, 'datasets', 'flights') });
  const rt = await EmbeddedRuntime.open({ home, consoleAlerts: false });
  const timings = new StageTimings();
  timings.attach(rt);
  try {
    let refined: () => void = () => undefined;
    const written = new Promise<void>((resolve) => (refined = resolve));
    let refinedRows = 0;
    rt.bus.onEvent(({ event }) => {
      if (event['detail-type'] !== 'RefinedWritten') return;
      refinedRows += (event.detail as { rows: number }).rows;
      refined();
    });
    const target = path.join(home, 'lake', 'raw', 'flights', '2026', '12', '06', '10', `flights.${ext}`);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const staged = path.join(home, `flights.${ext}`);
    await fs.copyFile(file, staged);
    const start = Date.now();
    await fs.rename(staged, target);
    await written;
    const pipelineSeconds = (Date.now() - start) / 1000;
    await rt.waitUntilQuiescent({ timeoutMs: 900_000 });
    await timings.settled();
    const stages = timings.report(start);
    say(`  ${format}: drop → RefinedWritten ${pipelineSeconds.toFixed(2)} s (${refinedRows} rows refined of ${rows}); where the time went:`);
    for (const line of formatTimings(stages)) say(line);

    // Floor: the same refine SELECT per window, one bare COPY each, on the engine's views connection.
    const found = await rt.deps.datasets.getDataset('flights');
    if (!found) throw new Error('the flights dataset is gone');
    const runs = (await rt.deps.runs.listRuns({ limit: 10 })).runs;
    const windows = await windowsWithObjects(planRefine(found.manifest, await rt.deps.runs.getRunSummaries(runs.map((r) => r.runId))).windows, found.manifest, async (span) => (await rt.deps.runs.findObjectsOverlapping('flights', span)).map((o) => `s3://${o.object.bucket}/${o.object.key}`));
    const connection = Reflect.get(rt.query, 'viewsConnection');
    const views = Reflect.get(rt.query, 'views');
    if (!(connection instanceof DuckDBConnection) || !(views instanceof CatalogViews)) throw new Error('query engine internals changed: no DuckDB connection/views');
    const floorDir = path.join(home, 'lake', 'refined', '_floor');
    await fs.mkdir(floorDir, { recursive: true });
    const keys = found.manifest.partitioning.keys.join(', ');
    const fstart = Date.now();
    await connection.run(`SET search_path = 'awsdatacatalog.tributary_raw,awsdatacatalog.main'`);
    for (const { window, objects } of windows) {
      const body = bindSql(found.refineSql.trim().replace(/;\s*$/, ''), { ...databaseParams(rt.deps.topology), ...windowParams(window, found.manifest, objects) }, Object.keys(databaseParams(rt.deps.topology)));
      const translated = await exposePath(connection, translateSql(body), (schema, table) => views.hasTable('tributary_raw', schema, table), (schema, table, paths) => views.narrowedPathView('tributary_raw', schema, table, paths));
      await connection.run(`COPY (${translated.sql}\n) TO '${floorDir}' (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (${keys}), OVERWRITE_OR_IGNORE)`);
    }
    const floorSeconds = (Date.now() - fstart) / 1000;
    say(`  ${format}: bare DuckDB COPY of the same SELECT ${floorSeconds.toFixed(2)} s; ratio ${(pipelineSeconds / floorSeconds).toFixed(2)}x (target ≤ 2x)`);
    return { format, rows, bytes, refinedRows, dropToRefinedWrittenSeconds: pipelineSeconds, floorSeconds, ratio: pipelineSeconds / floorSeconds, windows: windows.length, stages };
  } finally {
    await rt.close();
    await fs.rm(home, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const say = (line: string): void => {
    if (!args.json) process.stdout.write(`${line}\n`);
  };
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-bench-formats-'));
  try {
    say(`formats: ${args.rows} flights rows per file, grain day, cores ${os.availableParallelism()}`);
    const formats: Record<string, unknown>[] = [];
    for (const format of args.formats) formats.push(await formatRun(format, args.rows, scratch, say));
    let daily: Awaited<ReturnType<typeof import('./bench-daily-grains').dailyGrainRun>> | undefined;
    if (args.daily) {
      const { dailyGrainRun } = await import('./bench-daily-grains');
      const { StageTimings, formatTimings } = await import('./stage-timings');
      const timings = new StageTimings();
      daily = await dailyGrainRun('day', timings);
      say(`daily: 4 years of daily rows in 48 monthly CSV files, by day: drop → quiescent ${(daily.dropToQuiescentMs / 1000).toFixed(1)} s (target ≤ 10 s), ${daily.refinedRows} rows refined; where the time went:`);
      if (daily.stages) for (const line of formatTimings(daily.stages)) say(line);
    }
    if (args.json) process.stdout.write(`${JSON.stringify({ formats, daily })}\n`);
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
