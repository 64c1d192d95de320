/**
 * Four years of daily rows by grain (`npx tsx test/bench/bench-daily-grains.ts [hour|day|month]…`):
 * seattle-weather.csv of the vega-datasets dev dependency (1,461 days, 2012–2015) as 48 monthly CSV
 * files dropped into a fresh home, its dataset partitioned by the grain given (default: all three),
 * timed from the drop to quiescence, with the refined row count. Prints one JSON line per grain.
 */
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StagePart, StageTimings } from './stage-timings';

/** One daily run: what was dropped, the time from the drop to quiescence, the refined rows and (when timed) where the time went. */
export interface DailyRun {
  readonly grain: 'hour' | 'day' | 'month';
  readonly files: number;
  readonly rows: number;
  readonly quiescent: boolean;
  readonly dropToQuiescentMs: number;
  readonly refinedRows: number;
  readonly stages?: { parts: StagePart[]; groups: StagePart[] };
}

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

/** Drops the 48 monthly files into a fresh home partitioned by `grain`; the time from the drop to quiescence and the refined rows. */
export async function dailyGrainRun(grain: 'hour' | 'day' | 'month', timings?: StageTimings): Promise<DailyRun> {
  const { parseDatasetManifest } = await import('../../contracts/dataset-manifest');
  const { FolderDatasetStore } = await import('../../infra/datasets/folder-dataset-store');
  const { EmbeddedRuntime } = await import('../../infra/local/runtime/embedded-runtime');
  const { runQuery } = await import('../../handlers/ports/query-engine');
  const { readQueryRows } = await import('../../handlers/stage-kit/read-query-rows');
  const { VEGA_DATA, writeDatasetFolder } = await import('../integration/dataset-folders');
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-bench-grains-'));
  try {
    const datasets = path.join(root, 'datasets');
    await writeDatasetFolder(datasets, {
      manifest: parseDatasetManifest({
        name: 'weather',
        description: 'Seattle daily weather, 2012-2015',
        raw: { format: 'csv' },
        eventTime: { column: 'date', format: 'iso8601' },
        partitioning: { by: grain, keys: ['year', 'month', 'day', 'hour'].slice(0, grain === 'hour' ? 4 : grain === 'day' ? 3 : 2) },
        lookback: { minutes: 0 },
        quality: [],
        refine: { sql: 'refine.sql', rejectsSql: 'rejects.sql' },
      }),
      columns: ['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather'],
      rejects: [['bad_date', 'try(from_iso8601_date("date")) IS NULL']],
    });
    const home = path.join(root, 'home');
    const rt = await EmbeddedRuntime.open({ home, consoleAlerts: false });
    timings?.attach(rt);
    try {
      // The runtime reads the repository's sql/ only: its store also answers for the folder written here.
      const extra = new FolderDatasetStore(datasets);
      const store = rt.deps.datasets;
      const [list, get] = [store.listDatasets.bind(store), store.getDataset.bind(store)];
      store.listDatasets = async () => [...new Set([...(await extra.listDatasets()), ...(await list())])].sort();
      store.getDataset = async (name) => (await extra.getDataset(name)) ?? get(name);
      const [header = '', ...rows] = readFileSync(path.join(VEGA_DATA, 'seattle-weather.csv'), 'utf8').trim().split('\n');
      const months = new Map<string, string[]>();
      for (const r of rows) months.set(r.slice(0, 7), [...(months.get(r.slice(0, 7)) ?? []), r]);
      const started = Date.now();
      for (const [month, lines] of months) {
        const target = path.join(home, 'lake', 'raw', 'weather', `${month}.csv`);
        await fs.mkdir(path.dirname(target), { recursive: true });
        const tmp = path.join(root, `${month}.csv`);
        await fs.writeFile(tmp, [header, ...lines].join('\n'));
        await fs.rename(tmp, target);
      }
      const quiescent = await rt.waitUntilQuiescent({ timeoutMs: 900_000 });
      const ms = Date.now() - started;
      const execution = await runQuery(rt.query, { QueryString: 'SELECT count(*) AS n, count(DISTINCT "$path") AS files FROM tributary_refined.weather' });
      const [counted] = await readQueryRows(rt.query, execution.QueryExecutionId);
      return { grain, files: months.size, rows: rows.length, quiescent, dropToQuiescentMs: ms, refinedRows: Number(counted?.n ?? 0), ...(timings ? { stages: (await timings.settled(), timings.report(started)) } : {}) };
    } finally {
      await rt.close();
    }
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2).filter((a): a is 'hour' | 'day' | 'month' => a === 'hour' || a === 'day' || a === 'month');
  const { StageTimings, formatTimings } = await import('./stage-timings');
  const breakdown = process.argv.includes('--stages');
  for (const grain of asked.length > 0 ? asked : (['month', 'day', 'hour'] as const)) {
    const timings = breakdown ? new StageTimings() : undefined;
    const { stages: report, ...run } = await dailyGrainRun(grain, timings);
    process.stdout.write(`${JSON.stringify(run)}\n`);
    if (report) process.stdout.write(`${formatTimings(report).join('\n')}\n`);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  });
}
