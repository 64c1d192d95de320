import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { BackfillRequestedDetailSchema, type BackfillRequestedDetail } from '../../../../contracts/domain-events';
import { parseContract } from '../../../../contracts/contract-violation-error';
import { datasetRoots } from '../../../datasets/dataset-roots';
import { FolderDatasetStore } from '../../../datasets/folder-dataset-store';
import type { CliContext } from '../cli-context';
import { positiveInt } from '../format';
import { withProgress } from '../progress';
import type { ProgressSnapshot } from '../progress-format';
import type { BackfillProgress } from '../../../../handlers/stage-kit/backfill-progress';
import { openPipeline } from '../pipeline-handle';

function parseTime(name: string, text: string): string {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new Error(`${name} must be an ISO-8601 time such as 2026-01-05T00:00:00Z, got ${JSON.stringify(text)}`);
  return d.toISOString();
}

/** A new backfill's id: the window, readable, and a random suffix (each request is its own backfill). */
function backfillIdOf(from: string, to: string): string {
  const compact = (iso: string): string => iso.replace(/[-:]|\.\d+/g, '').toLowerCase();
  return `backfill-${compact(from)}-${compact(to)}-${randomBytes(3).toString('hex')}`;
}

/** What a backfill's progress line shows: partitions refined of the window's, or what it waits for. */
export function backfillSnapshot(progress: BackfillProgress | undefined): ProgressSnapshot {
  const partitions = { done: progress?.done ?? 0, total: progress?.total ?? 0 };
  const note = progress === undefined ? 'waiting for the backfill stage' : progress.forecastOnly ? `forecast of ${progress.total} partition(s) running` : undefined;
  return { items: { label: 'partitions', verb: 'refined', ...partitions }, work: partitions, ...(note === undefined ? {} : { note }) };
}

/** `backfill <dataset> --from T --to T [--forecast-only]`: re-refines (and re-forecasts) an event-time window. */
export function registerBackfillCommand(program: Command, ctx: CliContext): void {
  program
    .command('backfill <dataset>')
    .description('Recompute an event-time window [from, to) through the current rules: refine every partition in it again from the raw objects overlapping it, then the forecast (announced as BackfillRequested, so subscribers see it). Waits like `wait`, with the partitions refined as progress on stderr; exit 0 when every partition is in and the pipeline is quiescent, 1 when the backfill failed, 2 on timeout.')
    .requiredOption('--from <time>', 'start of the event-time window (ISO-8601, inclusive)')
    .requiredOption('--to <time>', 'end of the event-time window (ISO-8601, exclusive)')
    .option('--forecast-only', 'only re-forecast the origins of the window (after a model change)')
    .option('--timeout <seconds>', 'give up waiting after this many seconds (exit 2)', positiveInt('--timeout'), 600)
    .action(async (dataset: string, options: { from: string; to: string; forecastOnly?: boolean; timeout: number }) => {
      const from = parseTime('--from', options.from);
      const to = parseTime('--to', options.to);
      const found = await new FolderDatasetStore(datasetRoots(ctx.home())).getDataset(dataset);
      if (!found) throw new Error(`no dataset named ${JSON.stringify(dataset)} (tributary datasets lists them)`);
      const detail: BackfillRequestedDetail = parseContract(BackfillRequestedDetailSchema, { schemaVersion: 1, backfillId: backfillIdOf(from, to), dataset, from, to, forecastOnly: options.forecastOnly ?? false }, 'backfill request');
      const pipeline = await openPipeline(ctx.home());
      try {
        await pipeline.requestBackfill(detail);
        ctx.out(`${detail.backfillId}: ${dataset} [${from}, ${to})${detail.forecastOnly ? ' forecast only' : ''} requested`);
        const quiescent = await withProgress(ctx, async () => backfillSnapshot(await pipeline.backfillProgress(detail.backfillId)), pipeline.waitUntilQuiescent(options.timeout * 1000));
        const progress = await pipeline.backfillProgress(detail.backfillId);
        if (!quiescent) {
          ctx.err(`tributary: the pipeline is still busy after ${options.timeout} s`);
          process.exitCode = 2;
        } else if (progress === undefined || (!progress.forecastOnly && progress.done < progress.total)) {
          ctx.err(`tributary: backfill ${detail.backfillId} did not finish (${progress === undefined ? 'its stage never ran' : `${progress.done}/${progress.total} partitions`}): see tributary dlq list and the alerts`);
          process.exitCode = 1;
        } else {
          ctx.out(`${detail.backfillId}: ${progress.forecastOnly ? `forecast of ${progress.total} partition(s) done` : `partitions ${progress.done}/${progress.total} refined`}; quiescent`);
        }
      } finally {
        await pipeline.close();
      }
    });
}
