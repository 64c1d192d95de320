import type { DatasetManifest } from '../../contracts/dataset-manifest';
import { ErrorClass } from '../../contracts/domain-events';
import type { RunSummary } from '../ports/run-store';
import { allRuns } from './all-runs';
import type { StageDeps } from '../stage-deps';
import { reportFailure } from './report-failure';
import { RunState, runProgress } from './run-progress';
import { StageError } from './stage-error';

/** A run stopped moving: it waits on a stage past that stage's deadline, or nothing is left that could move it. Never retried. */
export class StalledRunError extends StageError {
  override readonly name = 'StalledRunError';
  constructor(message: string) {
    super(message, { retryable: false, errorClass: ErrorClass.Stalled });
  }
}

/** When a run counts as stalled. */
export interface StallPolicy {
  /** How long a run may wait on a stage since it last moved, by stage id, unless its dataset's manifest sets `deadlines`. */
  readonly deadlineMs: (stage: string) => number;
  /**
   * True when the caller knows nothing is pending anywhere (no delivery, retry, crawl, query or
   * transform): then every run still in progress is stalled, whatever its deadline.
   */
  readonly idle?: boolean;
}

/** The deadline a dataset's manifest sets for a stage, in ms (its `deadlines`, in minutes). */
function deadlineOf(manifest: DatasetManifest | undefined, stage: string): number | undefined {
  const deadlines = manifest?.deadlines;
  if (deadlines === undefined) return undefined;
  const minutes = new Map<string, number | undefined>(Object.entries(deadlines)).get(stage);
  return minutes === undefined ? undefined : minutes * 60_000;
}

/**
 * The watchdog: fails every stalled run with a `StageFailed` of class `stalled` that names the stage
 * the run waits on, how long it waited and the command to inspect it, so no run waits silently
 * (DESIGN.md invariant 1). Returns the runs whose state is now failed (each has its alert either
 * way); a stage that finishes later still records its newer outcome.
 */
export async function failStalledRuns(deps: StageDeps, policy: StallPolicy): Promise<RunSummary[]> {
  const now = deps.clock().getTime();
  const manifests = new Map<string, DatasetManifest | undefined>();
  const manifestOf = async (dataset: string): Promise<DatasetManifest | undefined> => {
    if (!manifests.has(dataset)) manifests.set(dataset, (await deps.datasets.getDataset(dataset).catch(() => undefined))?.manifest);
    return manifests.get(dataset);
  };
  const stalled: RunSummary[] = [];
  for (const run of await allRuns(deps.runs)) {
    const manifest = await manifestOf(run.dataset);
    const progress = runProgress(run, manifest?.forecast !== undefined);
    if (progress.state !== RunState.InProgress || progress.waitingOn === undefined) continue;
    const waitedMs = Math.max(0, now - Date.parse(run.updatedAt));
    const deadline = deadlineOf(manifest, progress.waitingOn) ?? policy.deadlineMs(progress.waitingOn);
    if (!policy.idle && waitedMs <= deadline) continue;
    const why = policy.idle ? 'nothing is left running that could move it' : `past the stage's deadline of ${Math.round(deadline / 1000)} s`;
    const error = new StalledRunError(`run ${run.runId} (s3://${run.object.bucket}/${run.object.key}) waits on stage ${progress.waitingOn} since ${run.updatedAt} (${Math.round(waitedMs / 1000)} s), ${why}`);
    await reportFailure(deps, { stage: progress.waitingOn, dataset: run.dataset, runId: run.runId, object: { bucket: run.object.bucket, key: run.object.key, etag: run.object.etag, size: run.object.size } }, error);
    stalled.push(run);
  }
  if (stalled.length === 0) return [];
  // Only runs whose failure run state now holds: a run it could not be written for stays in progress,
  // and a caller looping until nothing is failed must not fail it again and again.
  const after = new Map((await deps.runs.getRunSummaries(stalled.map((r) => r.runId))).map((r) => [r.runId, r]));
  return stalled.filter((r) => after.get(r.runId)?.lastStatus === 'failed');
}
