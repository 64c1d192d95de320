import type { DatasetManifest } from '../../contracts/dataset-manifest';
import { ErrorClass } from '../../contracts/domain-events';
import type { RunSummary } from '../ports/run-store';
import { allRuns } from './all-runs';
import { tickDueFor } from './batch-trigger';
import type { StageDeps } from '../stage-deps';
import { reportFailure } from './report-failure';
import { RunState, runProgress } from './run-progress';
import { StageError } from './stage-error';

/** The ports this module's calls use. */
type KitDeps = Pick<StageDeps, 'clock' | 'datasets' | 'runs' | 'publisher'>;

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
   * transform): then every run still in progress is stalled, whatever its deadline — except a run
   * waiting for its batch-triggered dataset's next tick, which the schedule will move.
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
export async function failStalledRuns(deps: KitDeps, policy: StallPolicy): Promise<RunSummary[]> {
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
    // A run of a batch-triggered dataset waits for its tick: its raw crawl's deadline counts from the
    // tick that should cover it, and the schedule is something left that will move it (not idle).
    const tickDue = tickDueFor(manifest, run);
    const since = tickDue ?? Date.parse(run.updatedAt);
    const waitedMs = Math.max(0, now - since);
    const deadline = deadlineOf(manifest, progress.waitingOn) ?? policy.deadlineMs(progress.waitingOn);
    const idle = policy.idle === true && tickDue === undefined;
    if (!idle && waitedMs <= deadline) continue;
    const why = idle ? 'nothing is left running that could move it' : `past the stage's deadline of ${Math.round(deadline / 1000)} s${tickDue === undefined ? '' : ` after the batch tick due at ${new Date(tickDue).toISOString()}`}`;
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
