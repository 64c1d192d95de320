import { StageId } from '../../events/stage-ids';
import { StageStatus, type RunSummary } from '../ports/run-store';

/** Where a run stands in its dataset's chain. */
export const RunState = {
  /** At the end of its chain: forecast announced (datasets with a forecast, runs with events), else refined. */
  Done: 'done',
  /** Ended with a `StageFailed`: failed, or quarantined as bad input. */
  Failed: 'failed',
  /** Still on its way: `waitingOn` names the stage it waits for. */
  InProgress: 'in-progress',
} as const;
/** One run state. */
export type RunState = (typeof RunState)[keyof typeof RunState];

/** A run's state and, while in progress, the stage it waits on. */
export interface RunProgress {
  readonly state: RunState;
  readonly waitingOn?: string;
}

/**
 * Where a run stands, from its summary alone. The chain of a run is register-landing → the raw crawl
 * (announce-crawl) → refine → forecast (datasets with a forecast). A run without event times (every
 * row rejected before refining) ends at refine. A stage that is `pending` or `running` is waited on;
 * one that `succeeded` hands the run to the next stage.
 */
export function runProgress(run: RunSummary, hasForecast: boolean): RunProgress {
  const stage = run.lastStage;
  const status = run.lastStatus;
  if (status === StageStatus.Failed || status === StageStatus.Quarantined) return { state: RunState.Failed };
  if (stage === undefined || status === undefined) return { state: RunState.InProgress, waitingOn: StageId.RegisterLanding };
  if (status !== StageStatus.Succeeded) return { state: RunState.InProgress, waitingOn: stage };
  switch (stage) {
    case StageId.RegisterLanding:
      return { state: RunState.InProgress, waitingOn: StageId.AnnounceCrawl };
    case StageId.AnnounceCrawl:
      return { state: RunState.InProgress, waitingOn: StageId.Refine };
    case StageId.Refine:
      return hasForecast && run.eventTimeRange !== undefined ? { state: RunState.InProgress, waitingOn: StageId.Forecast } : { state: RunState.Done };
    case StageId.Forecast:
      return { state: RunState.Done };
    default:
      return { state: RunState.InProgress, waitingOn: stage };
  }
}
