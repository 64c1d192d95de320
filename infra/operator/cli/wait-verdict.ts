import type { RunSummary, StageFailureRecord } from '../../../handlers/ports/run-store';
import { RunState, runProgress } from '../../../handlers/stage-kit/run-progress';

/** Runs named one by one in the verdict; the rest are counted. */
const NAMED_RUNS = 10;

/** What `wait` prints and its exit code. */
export interface WaitVerdict {
  readonly code: 0 | 1;
  /** One line for stdout. */
  readonly summary: string;
  /** What is wrong, one item per line, each with the command that inspects it (stderr). */
  readonly problems: readonly string[];
}

/**
 * `wait`'s verdict on a quiescent pipeline (by then the runtime has failed every run that was not at
 * the end of its chain as `stalled`): 0 only when every run is done — none failed, stalled, was
 * quarantined or is still on its way (one run state could not mark failed, or one waits for its
 * batch-triggered dataset's next tick: `tickDue`, listed apart and not called stalled) —, no
 * delivery is dead-lettered and no run-less stage failure (a dataset's views, a refined or forecast
 * crawl) is open; else 1, naming each with the command that inspects it.
 */
export function waitVerdict(runs: readonly RunSummary[], deadLetters: readonly { readonly queue: string }[], stageFailures: readonly StageFailureRecord[] = [], hasForecast: (dataset: string) => boolean = () => true, tickDue: (run: RunSummary) => number | undefined = () => undefined): WaitVerdict {
  const failed = runs.filter((r) => r.lastStatus === 'failed' || r.lastStatus === 'quarantined');
  // Runs of batch-triggered datasets waiting for their next tick: in progress, not done, and not stalled.
  const ticking = runs.flatMap((r) => {
    const due = runProgress(r, hasForecast(r.dataset)).state === RunState.InProgress ? tickDue(r) : undefined;
    return due === undefined ? [] : [{ run: r, due }];
  });
  const waitingForTick = new Set(ticking.map((t) => t.run.runId));
  // Runs still on their way although nothing runs: the watchdog fails them, unless run state could not take it.
  const unfinished = runs.flatMap((r) => {
    const progress = runProgress(r, hasForecast(r.dataset));
    return progress.state === RunState.InProgress && !waitingForTick.has(r.runId) ? [{ run: r, waitingOn: progress.waitingOn ?? '?' }] : [];
  });
  if (failed.length === 0 && unfinished.length === 0 && ticking.length === 0 && deadLetters.length === 0 && stageFailures.length === 0) return { code: 0, summary: 'quiescent: every run done, no delivery dead-lettered', problems: [] };
  const problems: string[] = [];
  if (ticking.length > 0) {
    const byDataset = new Map<string, { n: number; due: number }>();
    for (const { run, due } of ticking) {
      const seen = byDataset.get(run.dataset);
      byDataset.set(run.dataset, { n: (seen?.n ?? 0) + 1, due: Math.min(seen?.due ?? due, due) });
    }
    problems.push(`tributary: ${ticking.length} run(s) registered and waiting for their dataset's next batch tick (in progress, not done):`);
    for (const [dataset, { n, due }] of byDataset) problems.push(`  ${dataset}: ${n} run(s), tick due by ${new Date(due).toISOString()}  → tributary runs`);
  }
  if (unfinished.length > 0) {
    problems.push(`tributary: ${unfinished.length} run(s) not done although nothing is running (stalled):`);
    for (const { run, waitingOn } of unfinished.slice(0, NAMED_RUNS)) problems.push(`  waits on ${waitingOn}: ${run.object.key}  → tributary run ${run.runId}`);
    if (unfinished.length > NAMED_RUNS) problems.push(`  … and ${unfinished.length - NAMED_RUNS} more (tributary runs)`);
  }
  if (stageFailures.length > 0) {
    problems.push(`tributary: ${stageFailures.length} stage failure(s) no run carries, open until the stage succeeds again:`);
    for (const f of stageFailures) problems.push(`  ${f.stage} ${f.error.errorClass} (${[f.dataset, f.zone].filter((x) => x !== undefined).join(' ')}) at ${f.at}: ${f.error.message.slice(0, 160)}`);
  }
  if (failed.length > 0) {
    const byClass = new Map<string, number>();
    for (const r of failed) byClass.set(classOf(r), (byClass.get(classOf(r)) ?? 0) + 1);
    problems.push(`tributary: ${failed.length} run(s) failed, stalled or quarantined (${[...byClass].map(([c, n]) => `${n} ${c}`).join(', ')}):`);
    for (const r of failed.slice(0, NAMED_RUNS)) problems.push(`  ${r.lastStage ?? '?'} ${classOf(r)}: ${r.object.key}: ${(r.error?.message ?? '').slice(0, 160)}  → tributary run ${r.runId}`);
    if (failed.length > NAMED_RUNS) problems.push(`  … and ${failed.length - NAMED_RUNS} more (tributary runs)`);
  }
  if (deadLetters.length > 0) {
    problems.push(`tributary: ${deadLetters.length} delivery(ies) dead-lettered (${[...new Set(deadLetters.map((m) => m.queue))].join(', ')}) → tributary dlq list, then tributary dlq redrive --all once the cause is fixed`);
  }
  const onlyTicks = failed.length === 0 && unfinished.length === 0 && deadLetters.length === 0 && stageFailures.length === 0;
  return { code: 1, summary: onlyTicks ? `quiescent until the next batch tick: ${ticking.length} run(s) wait for it (not done yet)` : 'quiescent: not every run is done (see above)', problems };
}

function classOf(run: RunSummary): string {
  return run.error?.errorClass ?? run.lastStatus ?? 'failed';
}
