import type { Command } from 'commander';
import { localReplayInput, parseReplayTime, replayRules } from '../../read-side/events-read';
import { deadLetterRows, redriveDeadLetters } from '../../read-side/dead-letters-read';
import { formatTable, positiveInt } from '../format';
import { openPipeline, type PipelineHandle } from '../pipeline-handle';
import { openReadSide } from '../../read-side/read-side';
import type { CliContext } from '../cli-context';
import { awsDeadLetterRows, awsReplayState, awsSide, listAwsDeadLetters, redriveAwsDeadLetters, startAwsReplay } from '../../read-side/aws-side';
import { withProgress } from '../progress';
import { datasetForecasts, runsProgressSource } from '../progress-runs';
import { allRuns } from '../../../../handlers/stage-kit/all-runs';
import { waitVerdict } from '../wait-verdict';
import type { DatasetManifest } from '../../../../contracts/dataset-manifest';
import { tickDueFor } from '../../../../handlers/stage-kit/batch-trigger';
import { datasetRoots } from '../../../datasets/dataset-roots';
import { FolderDatasetStore } from '../../../datasets/folder-dataset-store';
import type { RunStore, RunSummary, StageFailureRecord } from '../../../../handlers/ports/run-store';

async function withPipeline<T>(ctx: CliContext, fn: (p: PipelineHandle) => Promise<T>): Promise<T> {
  const pipeline = await openPipeline(ctx.home());
  try {
    return await fn(pipeline);
  } finally {
    await pipeline.close();
  }
}

/** Every run of a home, newest first, and its open run-less stage failures (the pipeline's own run store when it runs here). */
async function homeState(ctx: CliContext, pipeline: PipelineHandle): Promise<{ runs: RunSummary[]; failures: StageFailureRecord[] }> {
  const read = async (runs: RunStore) => ({ runs: await allRuns(runs), failures: await runs.listStageFailures() });
  if (pipeline.runtime) return read(pipeline.runtime.deps.runs);
  const side = await openReadSide(ctx.home());
  try {
    return await read(side.runs);
  } finally {
    await side.close();
  }
}

/** Shows the runs' progress while `work` runs, from the pipeline's run store here or the home's read side while `up` runs it. */
async function withRunProgress<T>(ctx: CliContext, pipeline: PipelineHandle, work: Promise<T>): Promise<T> {
  const forecasts = datasetForecasts(ctx.home());
  if (pipeline.runtime) return withProgress(ctx, runsProgressSource(pipeline.runtime.deps.runs, forecasts), work);
  const side = await openReadSide(ctx.home());
  try {
    return await withProgress(ctx, runsProgressSource(side.runs, forecasts), work);
  } finally {
    await side.close();
  }
}

/** Replays the deployed stack's archive window to its bus (optionally to some rules) and waits for it to end. */
async function replayOnAws(ctx: CliContext, name: string, from: Date, to: Date, rules: readonly string[]): Promise<void> {
  const aws = awsSide();
  const { filter } = await startAwsReplay(aws, name, { from, to, rules });
  ctx.out(`replay ${name} started on ${aws.busName}${filter.length > 0 ? ` for ${filter.join(', ')}` : ''}`);
  let state: string = 'STARTING';
  while (state === 'STARTING' || state === 'RUNNING') {
    await new Promise((resolve) => setTimeout(resolve, 5000));
    state = (await awsReplayState(aws, name)).state;
  }
  ctx.out(`replay ${name} ${state}`);
  if (state !== 'COMPLETED') process.exitCode = 1;
}

/** Redrives one dead-lettered delivery of the deployed stack, or all of them; refused ones stay queued and set exit code 1. */
async function redriveOnAws(ctx: CliContext, one: { queue: string; id: string } | undefined): Promise<void> {
  const summary = await redriveAwsDeadLetters(awsSide(), one);
  ctx.out(`redrove ${summary.redriven} message(s)`);
  for (const r of summary.refused) ctx.err(`tributary: kept ${r.id} in ${r.queue}: ${r.reason}`);
  if (summary.refused.length > 0) process.exitCode = 1;
}

/** `wait`, `events tail`, `replay`, `dlq list|redrive`: commands that act on the running pipeline. */
export function registerPipelineCommands(program: Command, ctx: CliContext): void {
  program
    .command('wait')
    .description('Wait until the pipeline is quiescent (runs it here if `tributary up` is not running). Shows progress on stderr (runs, rows, bytes, ETA). Exit 0: every run done and no delivery dead-lettered; 1: a run failed, stalled or was quarantined, waits for its dataset\'s next batch tick, or a delivery is dead-lettered; 2: timeout.')
    .option('--timeout <seconds>', 'give up after this many seconds (exit 2)', positiveInt('--timeout'), 600)
    .action(async (options: { timeout: number }) => {
      await withPipeline(ctx, async (pipeline) => {
        if (!(await withRunProgress(ctx, pipeline, pipeline.waitUntilQuiescent(options.timeout * 1000)))) {
          ctx.err(`tributary: the pipeline is still busy after ${options.timeout} s`);
          process.exitCode = 2;
          return;
        }
        const state = await homeState(ctx, pipeline);
        const manifests = new Map<string, DatasetManifest | undefined>();
        const datasets = new FolderDatasetStore(datasetRoots(ctx.home()));
        for (const name of new Set(state.runs.map((r) => r.dataset))) manifests.set(name, (await datasets.getDataset(name).catch(() => undefined))?.manifest);
        const verdict = waitVerdict(state.runs, await pipeline.listDeadLetters(), state.failures, (d) => manifests.get(d)?.forecast !== undefined, (r) => tickDueFor(manifests.get(r.dataset), r));
        for (const line of verdict.problems) ctx.err(line);
        ctx.out(verdict.summary);
        process.exitCode = verdict.code;
      });
    });

  const events = program.command('events').description('Watch the events the bus accepts (events tail).');
  events
    .command('tail')
    .description('Print every event the bus accepts, as JSON lines, until interrupted.')
    .action(async () => {
      await withPipeline(ctx, async (pipeline) => {
        const abort = new AbortController();
        process.once('SIGINT', () => abort.abort());
        process.once('SIGTERM', () => abort.abort());
        await pipeline.tailEvents((e) => ctx.out(JSON.stringify(e)), abort.signal);
      });
    });

  program
    .command('replay')
    .description('Replay archived events of a time window [from, to) to the current rules, optionally only to some rules.')
    .requiredOption('--from <time>', 'start of the event-time window (ISO-8601, inclusive)')
    .requiredOption('--to <time>', 'end of the event-time window (ISO-8601, exclusive)')
    .option('--rule <name...>', 'only these rules receive the replay (a new consumer backfilling)')
    .option('--detail-type <type...>', 'only rules that subscribe to these detail-types receive the replay')
    .option('--aws', 'replay the deployed stack\'s archive (AWS environment credentials)')
    .action(async (options: { from: string; to: string; rule?: string[]; detailType?: string[]; aws?: boolean }) => {
      const from = parseReplayTime('--from', options.from);
      const to = parseReplayTime('--to', options.to);
      const rules = replayRules({ ...(options.rule ? { rules: options.rule } : {}), ...(options.detailType ? { detailTypes: options.detailType } : {}) });
      const name = `replay-${Date.now()}`;
      if (options.aws) return replayOnAws(ctx, name, from, to, rules);
      await withPipeline(ctx, async (pipeline) => {
        await pipeline.startReplay(localReplayInput(name, { from, to, rules }));
        ctx.out(`replay ${name} started${rules.length > 0 ? ` for rules ${rules.join(', ')}` : ' for every rule'}`);
        let state = 'STARTING';
        while (state === 'STARTING' || state === 'RUNNING') {
          await new Promise((resolve) => setTimeout(resolve, 200));
          state = await pipeline.replayState(name);
        }
        ctx.out(`replay ${name} ${state}; waiting for the pipeline to settle…`);
        await pipeline.waitUntilQuiescent(600_000);
        if (state !== 'COMPLETED') process.exitCode = 1;
      });
    });

  const dlq = program.command('dlq').description('Inspect and redrive dead-lettered deliveries.');
  dlq
    .command('list')
    .description('List dead-lettered deliveries with their queue, message id, error and attempts.')
    .option('--json', 'print the messages as a JSON array, with their events and attributes')
    .option('--aws', 'peek the deployed stack\'s SQS dead-letter queues (AWS environment credentials)')
    .action(async (options: { json?: boolean; aws?: boolean }) => {
      if (options.aws) {
        const messages = await listAwsDeadLetters(awsSide());
        if (options.json) return ctx.out(JSON.stringify(messages, null, 2));
        return ctx.out(formatTable(awsDeadLetterRows(messages), ['queue', 'id', 'sent', 'error', 'attempts', 'message']));
      }
      await withPipeline(ctx, async (pipeline) => {
        const messages = await pipeline.listDeadLetters();
        if (options.json) return ctx.out(JSON.stringify(messages, null, 2));
        ctx.out(formatTable(deadLetterRows(messages), ['queue', 'id', 'event', 'rule', 'error', 'attempts', 'message']));
      });
    });
  dlq
    .command('redrive')
    .description('Re-deliver dead-lettered deliveries to their rule target (one with --queue and --id, or --all).')
    .option('--queue <name>', 'the dead-letter queue (the queue column of dlq list)')
    .option('--id <messageId>', 'the message (the id column of dlq list)')
    .option('--all', 'every message of every dead-letter queue')
    .option('--aws', 'send the deployed stack\'s dead-lettered events back to their rules\' delivery queues (AWS environment credentials)')
    .action(async (options: { queue?: string; id?: string; all?: boolean; aws?: boolean }) => {
      if (!options.all && !(options.queue && options.id)) throw new Error('give --queue and --id, or --all');
      if (options.aws) return redriveOnAws(ctx, options.all ? undefined : { queue: options.queue ?? '', id: options.id ?? '' });
      await withPipeline(ctx, async (pipeline) => {
        const summary = await redriveDeadLetters(pipeline, options.all ? undefined : { queue: options.queue ?? '', id: options.id ?? '' });
        ctx.out(`redrove ${summary.redriven} message(s)`);
        for (const r of summary.refused) ctx.err(`tributary: kept ${r.id} in ${r.queue}: ${r.reason}`);
        if (summary.refused.length > 0) process.exitCode = 1;
        if (!pipeline.remote) await withRunProgress(ctx, pipeline, pipeline.waitUntilQuiescent(600_000));
      });
    });
}
