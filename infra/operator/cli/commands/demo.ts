import type { Command } from 'commander';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { RunStore } from '../../../../handlers/ports/run-store';
import { EmbeddedRuntime } from '../../../local/runtime/embedded-runtime';
import { refuseBrokenDatasets } from '../refuse-broken-datasets';
import { DEFAULT_TRAFFIC_SAMPLE, generateTrafficSample } from '../../../shipped/traffic-sample';
import { runQuery } from '../../../../handlers/ports/query-engine';
import { readQueryRows } from '../../../../handlers/stage-kit/read-query-rows';
import { formatDuration, formatTable } from '../format';
import type { CliContext } from '../cli-context';
import { withProgress } from '../progress';
import { datasetForecasts, runsProgressSource } from '../progress-runs';
import { dropFiles, dropSnapshot, type DropProgress } from './drop';
import { allRuns } from '../../../../handlers/stage-kit/all-runs';
import { waitVerdict } from '../wait-verdict';
import { stageLatencies } from '../../read-side/stage-latency';

const MARKER = '.tributary-demo-home';

/** Makes a fresh demo home: creates it, or empties one an earlier demo made; refuses any other non-empty folder. */
async function freshHome(home: string): Promise<void> {
  const entries = await readdir(home).catch(() => []);
  if (entries.length > 0) {
    if (!(await stat(path.join(home, MARKER)).then(() => true, () => false))) {
      throw new Error(`${home} is not empty and was not made by \`tributary demo\`; pass --home <new folder>`);
    }
    if ((await readdir(path.join(home, 'datasets')).catch(() => [])).length > 0) {
      throw new Error(`${home} holds your datasets (${path.join(home, 'datasets')}), which the demo would delete; pass --home <new folder>`);
    }
    await rm(home, { recursive: true, force: true });
  }
  await mkdir(home, { recursive: true });
  await writeFile(path.join(home, MARKER), 'made by tributary demo; the next demo empties this folder\n');
}

async function stageTimings(runs: RunStore, runIds: readonly string[]): Promise<Record<string, string | number>[]> {
  const latency = await stageLatencies(runs, runIds);
  return [...latency.stages, latency.endToEnd].map((l) => ({ stage: l.stage, runs: l.runs, median: formatDuration(l.medianMs), max: formatDuration(l.maxMs) }));
}

/** `tributary demo`: the traffic dataset end to end on a fresh home, with a report. */
export function registerDemoCommand(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('Run the traffic example end to end on a fresh home (an empty folder, or one an earlier demo made): generate the sample, drop it, run until quiescent with progress on stderr, then report runs, stage timings, rows per zone, a query and a forecast.')
    .action(async () => {
      const home = ctx.home();
      const started = Date.now();
      await refuseBrokenDatasets(ctx, home);
      await freshHome(home);
      const sampleDir = path.join(home, 'sample');
      const sample = await generateTrafficSample({ outDir: sampleDir, ...DEFAULT_TRAFFIC_SAMPLE });
      ctx.out(`1/4 generated the traffic sample: ${sample.files} files, ${sample.rows} lines (${sample.validRows} valid readings, ${sample.invalidRows} invalid, ${sample.lateRows} late), ${DEFAULT_TRAFFIC_SAMPLE.sensors} sensors × ${DEFAULT_TRAFFIC_SAMPLE.hours} h`);
      const runtime = await EmbeddedRuntime.open({ home });
      try {
        let dropped: DropProgress = { files: 0, totalFiles: 0, bytes: 0, totalBytes: 0 };
        const { keys } = await withProgress(ctx, async () => dropSnapshot(dropped), dropFiles(home, path.join(sampleDir, 'traffic'), { dataset: 'traffic', onProgress: (p) => (dropped = p) }));
        ctx.out(`2/4 dropped ${keys.length} files into ${home}/lake/raw/traffic/`);
        const quiescent = await withProgress(ctx, runsProgressSource(runtime.deps.runs, datasetForecasts(home)), runtime.waitUntilQuiescent({ timeoutMs: 15 * 60_000 }));
        if (!quiescent) throw new Error('the pipeline did not settle within 15 minutes');
        ctx.out(`3/4 the pipeline is quiescent after ${formatDuration(Date.now() - started)}`);
        const ok = await report(ctx, runtime, sample.validRows, sample.invalidRows);
        process.exitCode = ok ? 0 : 1;
      } finally {
        await runtime.close();
      }
    });
}

async function report(ctx: CliContext, runtime: EmbeddedRuntime, validRows: number, invalidRows: number): Promise<boolean> {
  const runs = await allRuns(runtime.deps.runs);
  const failed = runs.filter((r) => r.lastStatus === 'failed' || r.lastStatus === 'quarantined');
  const q = async (sql: string) => {
    const ex = await runQuery(runtime.query, { QueryString: sql, WorkGroup: 'primary' });
    if (ex.Status.State !== 'SUCCEEDED') throw new Error(`${sql}: ${ex.Status.StateChangeReason ?? ex.Status.State}`);
    return readQueryRows(runtime.query, ex);
  };
  const count = async (table: string) => Number((await q(`SELECT count(*) AS n FROM ${table}`))[0]?.['n'] ?? 0);
  ctx.out('4/4 report\n\nruns');
  const byStatus = new Map<string, number>();
  for (const r of runs) {
    const state = r.lastStage === undefined ? 'landed' : `${r.lastStage} ${r.lastStatus}`;
    byStatus.set(state, (byStatus.get(state) ?? 0) + 1);
  }
  ctx.out(formatTable([...byStatus].map(([state, n]) => ({ 'last stage and status': state, runs: n }))));
  ctx.out('\nper-stage timings');
  ctx.out(formatTable(await stageTimings(runtime.deps.runs, runs.map((r) => r.runId))));
  const refined = await count('tributary_refined.traffic');
  const forecast = await count('tributary_forecast.traffic');
  const rejects = await count('tributary_refined.traffic_rejects');
  ctx.out('\nrows per zone');
  ctx.out(formatTable([
    { zone: 'raw', table: 'tributary_raw.traffic', rows: await count('tributary_raw.traffic') },
    { zone: 'refined', table: 'tributary_refined.traffic', rows: refined, check: refined === validRows ? `= ${validRows} valid readings in the sample` : `≠ ${validRows} valid readings in the sample` },
    { zone: 'refined', table: 'tributary_refined.traffic_rejects', rows: rejects, check: `${rejects === invalidRows ? '=' : '≠'} ${invalidRows} invalid lines in the sample` },
    { zone: 'forecast', table: 'tributary_forecast.traffic', rows: forecast },
    { zone: 'quarantine', table: '(files)', rows: failed.length },
  ]));
  ctx.out('\nsample query: SELECT * FROM tributary_refined.traffic_hourly_speed_profile LIMIT 5');
  ctx.out(formatTable(await q('SELECT * FROM tributary_refined.traffic_hourly_speed_profile ORDER BY 1, 2 LIMIT 5')));
  ctx.out('\nforecast preview (latest origin, first sensors)');
  ctx.out(formatTable(await q('SELECT uniqueid, origin_time, target_time, step, round(prediction, 1) AS prediction, model, model_version FROM tributary_forecast.traffic ORDER BY origin_time DESC, uniqueid, step LIMIT 8')));
  // The same verdict as `wait` (every run done, nothing dead-lettered, no open failure), and the sample's counts.
  const deadLetters = runtime.bus.listDeadLetterQueues().flatMap((dq) => runtime.bus.listDeadLetterMessages(dq.queue));
  const verdict = waitVerdict(runs, deadLetters, await runtime.deps.runs.listStageFailures());
  for (const line of verdict.problems) ctx.err(line);
  const ok = verdict.code === 0 && refined === validRows && rejects === invalidRows && forecast > 0;
  ctx.out(`\n${ok ? 'demo succeeded' : 'demo FAILED'}: ${runs.length} runs, ${failed.length} failed or quarantined, ${deadLetters.length} dead-lettered deliveries; home ${runtime.home} (try \`tributary query "SELECT * FROM tributary_refined.traffic_current_jams" --home ${runtime.home}\`)`);
  return ok;
}
