import { StageId } from '../../../events/stage-ids';
import type { RunStore, RunSummary } from '../../../handlers/ports/run-store';
import { allRuns } from '../../../handlers/stage-kit/all-runs';
import { RunState, runProgress } from '../../../handlers/stage-kit/run-progress';
import { datasetRoots } from '../../datasets/dataset-roots';
import { FolderDatasetStore } from '../../datasets/folder-dataset-store';
import type { ProgressSnapshot } from './progress-format';

/** A run's chain, in order; a run waiting on the i-th stage has done i of them. */
const CHAIN: readonly string[] = [StageId.RegisterLanding, StageId.AnnounceCrawl, StageId.Refine, StageId.Forecast];

/** How far along its chain a run is, 0 to 1 (a failed run is finished: 1). */
function fractionDone(run: RunSummary, hasForecast: boolean): number {
  const progress = runProgress(run, hasForecast);
  if (progress.state !== RunState.InProgress) return 1;
  const steps = hasForecast && run.eventTimeRange !== undefined ? CHAIN.length : CHAIN.length - 1;
  return Math.max(0, CHAIN.indexOf(progress.waitingOn ?? '')) / steps;
}

/**
 * The progress of runs as run state records them: runs at the end of their chain (and failed ones) of
 * all runs; rows — the refine's accounted `read` rows, or the rows counted at landing of a run that
 * failed before refine — of the rows counted at landing; the bytes of the runs past refine of all
 * landed bytes. The ETA's work is each run's bytes (at least 1) times the share of its chain done, so
 * a big file weighs more and a run half-way counts half. Runs already finished when the source first
 * reads are left out: `wait` on a home with old runs counts only what it waits for (and says so
 * while it has none yet).
 */
export function runsProgressSource(runs: Pick<RunStore, 'listRuns'>, hasForecast: (dataset: string) => Promise<boolean>): () => Promise<ProgressSnapshot> {
  let before: ReadonlySet<string> | undefined;
  return async () => {
    const all = await allRuns(runs);
    const forecasts = new Map<string, boolean>();
    for (const dataset of new Set(all.map((r) => r.dataset))) forecasts.set(dataset, await hasForecast(dataset));
    const withForecast = (r: RunSummary): boolean => forecasts.get(r.dataset) ?? false;
    const finished = (r: RunSummary): boolean => runProgress(r, withForecast(r)).state !== RunState.InProgress;
    before ??= new Set(all.filter(finished).map((r) => r.runId));
    const counted = all.filter((r) => !before?.has(r.runId));
    let done = 0;
    let failed = 0;
    let rowsDone = 0;
    let rowsTotal = 0;
    let rowsKnown = false;
    let bytesDone = 0;
    let bytesTotal = 0;
    let workDone = 0;
    let workTotal = 0;
    for (const r of counted) {
      const state = runProgress(r, withForecast(r)).state;
      if (state === RunState.Done) done += 1;
      if (state === RunState.Failed) failed += 1;
      const rows = r.rowsAtLanding ?? r.rowCounts?.read;
      if (rows !== undefined) rowsKnown = true;
      rowsTotal += rows ?? 0;
      if (r.rowCounts) rowsDone += r.rowCounts.read;
      else if (state === RunState.Failed) rowsDone += rows ?? 0;
      bytesTotal += r.object.size;
      if (r.rowCounts || state !== RunState.InProgress) bytesDone += r.object.size;
      const weight = Math.max(1, r.object.size);
      workTotal += weight;
      workDone += weight * fractionDone(r, withForecast(r));
    }
    return {
      items: { label: 'runs', verb: 'done', done, total: counted.length, ...(failed > 0 ? { failed } : {}) },
      ...(counted.length === 0 ? { note: 'no run registered yet' } : {}),
      ...(rowsKnown ? { rows: { done: rowsDone, total: rowsTotal } } : {}),
      bytes: { done: bytesDone, total: bytesTotal },
      work: { done: workDone, total: workTotal },
    };
  };
}

/** Whether a home's dataset has a forecast step (its manifest names one, as `wait` decides), read once per dataset. */
export function datasetForecasts(home: string): (dataset: string) => Promise<boolean> {
  const store = new FolderDatasetStore(datasetRoots(home));
  const known = new Map<string, Promise<boolean>>();
  return (dataset) => {
    let answer = known.get(dataset);
    if (answer === undefined) {
      answer = store.getDataset(dataset).then((d) => d?.manifest.forecast !== undefined, () => false);
      known.set(dataset, answer);
    }
    return answer;
  };
}
