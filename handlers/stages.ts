import { StageId } from '../events/stage-ids';
import { handler as alert } from './alert';
import { handler as announceCrawl } from './announce-crawl';
import { handler as announceForecast } from './announce-forecast';
import { handler as announceRefined } from './announce-refined';
import { handler as backfill } from './backfill';
import { handler as crawlBatch } from './crawl-batch';
import { handler as forecast } from './forecast';
import { handler as publishViews } from './publish-views';
import { handler as refine } from './refine';
import { handler as registerLanding } from './register-landing';
import { handler as requestCrawl } from './request-crawl';
import { handler as watchdog } from './watchdog';
import type { StageHandler } from './stage-deps';

/** Every stage by id: what the local runtime registers and each Lambda entry point runs. */
export const stages: Readonly<Record<StageId, StageHandler>> = {
  [StageId.RegisterLanding]: registerLanding,
  [StageId.RequestCrawl]: requestCrawl,
  [StageId.CrawlBatch]: crawlBatch,
  [StageId.AnnounceCrawl]: announceCrawl,
  [StageId.Refine]: refine,
  [StageId.Backfill]: backfill,
  [StageId.AnnounceRefined]: announceRefined,
  [StageId.PublishViews]: publishViews,
  [StageId.Forecast]: forecast,
  [StageId.AnnounceForecast]: announceForecast,
  [StageId.Alert]: alert,
  [StageId.Watchdog]: watchdog,
};
