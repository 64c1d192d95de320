import { StageId } from '../../../events/stage-ids';
import { stageDeadlines, type StageDeadlines } from '../../../handlers/stage-kit/stage-deadlines';

/**
 * How long a run may wait on each stage on the embedded default before the watchdog fails it as
 * `stalled`, in ms. Sized for one machine: a crawl or a refine of a few million rows takes seconds to
 * a minute here, so minutes of no progress mean a stuck part, not a slow one.
 */
export const LOCAL_STAGE_DEADLINES_MS: StageDeadlines = {
  [StageId.RegisterLanding]: 5 * 60_000,
  [StageId.AnnounceCrawl]: 15 * 60_000,
  [StageId.Refine]: 30 * 60_000,
  [StageId.Forecast]: 30 * 60_000,
  '*': 30 * 60_000,
};

/** The local deadlines, with `TRIBUTARY_STAGE_DEADLINES` (see `stageDeadlines`) over them. */
export function localStageDeadlines(setting: string | undefined = process.env.TRIBUTARY_STAGE_DEADLINES): (stage: string) => number {
  return stageDeadlines(LOCAL_STAGE_DEADLINES_MS, setting);
}
