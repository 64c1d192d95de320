import { StageId } from '../events/stage-ids';
import type { StageHandler } from './stage-deps';

const notYet = (id: StageId): StageHandler => async () => {
  throw new Error(`stage ${id} is not implemented yet`);
};

/** Every stage by id: what the local runtime registers and each Lambda entry point runs. */
export const stages: Readonly<Record<StageId, StageHandler>> = {
  [StageId.RegisterLanding]: notYet(StageId.RegisterLanding),
  [StageId.RequestCrawl]: notYet(StageId.RequestCrawl),
  [StageId.AnnounceCrawl]: notYet(StageId.AnnounceCrawl),
  [StageId.Refine]: notYet(StageId.Refine),
  [StageId.AnnounceRefined]: notYet(StageId.AnnounceRefined),
  [StageId.PublishViews]: notYet(StageId.PublishViews),
  [StageId.Forecast]: notYet(StageId.Forecast),
  [StageId.AnnounceForecast]: notYet(StageId.AnnounceForecast),
  [StageId.Alert]: notYet(StageId.Alert),
};
