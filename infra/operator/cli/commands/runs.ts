import type { Command } from 'commander';
import { formatTable } from '../format';
import { runStoreFor } from '../../read-side/aws-side';
import type { CliContext } from '../cli-context';
import { describeRowCounts } from '../../../../handlers/stage-kit/row-accounting';

import { allRuns } from '../../../../handlers/stage-kit/all-runs';
import { StageStatus } from '../../../../handlers/ports/run-store';
import { pageRuns, type RunFilter } from '../../read-side/run-listing';
import { describeRun } from '../../read-side/run-view';

const STATUSES: readonly string[] = Object.values(StageStatus);

/** The filter the options give (the same one the console's runs page applies). */
function runFilter(options: { dataset?: string; status?: string; stage?: string; since?: string; until?: string }): RunFilter {
  if (options.status !== undefined && !STATUSES.includes(options.status)) throw new Error(`--status must be one of ${STATUSES.join(', ')}, got ${JSON.stringify(options.status)}`);
  for (const [name, value] of [['--since', options.since], ['--until', options.until]] as const) {
    if (value !== undefined && Number.isNaN(Date.parse(value))) throw new Error(`${name} must be an ISO-8601 time such as 2026-01-05T00:00:00Z, got ${JSON.stringify(value)}`);
  }
  const status = Object.values(StageStatus).find((s) => s === options.status);
  return {
    ...(options.dataset !== undefined ? { dataset: options.dataset } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(options.stage !== undefined ? { stage: options.stage } : {}),
    ...(options.since !== undefined ? { from: options.since } : {}),
    ...(options.until !== undefined ? { to: options.until } : {}),
  };
}

/** `tributary runs` and `tributary run <id>`: run state, lineage and timeline. */
export function registerRunCommands(program: Command, ctx: CliContext): void {
  program
    .command('runs')
    .description('List runs (one per landed object), newest first.')
    .option('--json', 'print the runs as a JSON array')
    .option('--dataset <name>', 'only runs of this dataset')
    .option('--status <status>', `only runs whose last transition has this status (${STATUSES.join(', ')})`)
    .option('--stage <stage>', 'only runs whose last transition is of this stage')
    .option('--since <time>', 'only runs landed at or after this time (ISO-8601)')
    .option('--until <time>', 'only runs landed before this time (ISO-8601)')
    .option('--aws', 'read the deployed stack\'s run table (AWS environment credentials)')
    .action(async (options: { json?: boolean; aws?: boolean; dataset?: string; status?: string; stage?: string; since?: string; until?: string }) => {
      const filter = runFilter(options);
      const side = await runStoreFor(ctx.home(), options.aws);
      try {
        const all = await allRuns(side.runs);
        const runs = pageRuns(all, filter, { offset: 0, limit: all.length }).runs;
        if (options.json) return ctx.out(JSON.stringify(runs, null, 2));
        ctx.out(formatTable(runs.map((r) => ({ run: r.runId, dataset: r.dataset, key: r.object.key, stage: r.lastStage, status: r.lastStatus, landed: r.landedAt, error: r.error?.message }))));
        ctx.out(`${runs.length} run(s)`);
      } finally {
        await side.close();
      }
    });
  program
    .command('run <id>')
    .description('Show one run: its object, row accounting, stages with timings, lineage and timeline.')
    .option('--json', 'print the run as JSON')
    .option('--aws', 'read the deployed stack\'s run table (AWS environment credentials)')
    .action(async (id: string, options: { json?: boolean; aws?: boolean }) => {
      const side = await runStoreFor(ctx.home(), options.aws);
      try {
        const detail = await describeRun(side.runs, id);
        if (!detail) throw new Error(`no run ${id} (list them with \`tributary runs\`)`);
        if (options.json) return ctx.out(JSON.stringify(detail, null, 2));
        const r = detail.run;
        ctx.out(`run ${r.runId}  dataset ${r.dataset}  s3://${r.object.bucket}/${r.object.key}  (${r.object.size} bytes, etag ${r.object.etag})`);
        if (r.eventTimeRange) ctx.out(`event time ${r.eventTimeRange.min} .. ${r.eventTimeRange.max}`);
        if (r.rowCounts) ctx.out(`rows       ${describeRowCounts(r.rowCounts)}`);
        if (r.error) ctx.out(`error: ${r.error.errorClass}: ${r.error.message}`);
        ctx.out('\nstages');
        ctx.out(formatTable(detail.stages.map((s) => ({ stage: s.stage, status: s.status, attempts: s.attempts, started: s.startedAt, ended: s.endedAt, error: s.error?.message }))));
        ctx.out('\nlineage (refined partition -> forecast outputs)');
        ctx.out(formatTable(detail.lineage.map((l) => ({ partition: l.partition, forecasts: l.forecastOutputs.join(', ') }))));
        ctx.out('\ntimeline');
        ctx.out(formatTable(detail.timeline.map((t) => ({ at: t.at, stage: t.stage, status: t.status, error: t.error?.message }))));
      } finally {
        await side.close();
      }
    });
}
