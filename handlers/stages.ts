import { StageId } from '../events/stage-ids';
import { handler as alert, needs as alertNeeds } from './alert';
import { handler as announceCrawl, needs as announceCrawlNeeds } from './announce-crawl';
import { handler as announceForecast, needs as announceForecastNeeds } from './announce-forecast';
import { handler as announceRefined, needs as announceRefinedNeeds } from './announce-refined';
import { handler as backfill, needs as backfillNeeds } from './backfill';
import { handler as crawlBatch, needs as crawlBatchNeeds } from './crawl-batch';
import { handler as forecast, needs as forecastNeeds } from './forecast';
import { defineStage, type StageDefinition } from './needs/define-stage';
import { handler as publishViews, needs as publishViewsNeeds } from './publish-views';
import { handler as refine, needs as refineNeeds } from './refine';
import { handler as registerLanding, needs as registerLandingNeeds } from './register-landing';
import { handler as requestCrawl, needs as requestCrawlNeeds } from './request-crawl';
import { handler as watchdog, needs as watchdogNeeds } from './watchdog';
import type { StageHandler } from './stage-deps';

/**
 * Every stage by id with its declared needs: what the local runtime registers, what each Lambda entry
 * point runs, and what the AWS stack derives each stage role's grants from.
 */
export const stageDefinitions: Readonly<Record<StageId, StageDefinition>> = {
  [StageId.RegisterLanding]: defineStage(StageId.RegisterLanding, registerLandingNeeds, registerLanding),
  [StageId.RequestCrawl]: defineStage(StageId.RequestCrawl, requestCrawlNeeds, requestCrawl),
  [StageId.CrawlBatch]: defineStage(StageId.CrawlBatch, crawlBatchNeeds, crawlBatch),
  [StageId.AnnounceCrawl]: defineStage(StageId.AnnounceCrawl, announceCrawlNeeds, announceCrawl),
  [StageId.Refine]: defineStage(StageId.Refine, refineNeeds, refine),
  [StageId.Backfill]: defineStage(StageId.Backfill, backfillNeeds, backfill),
  [StageId.AnnounceRefined]: defineStage(StageId.AnnounceRefined, announceRefinedNeeds, announceRefined),
  [StageId.PublishViews]: defineStage(StageId.PublishViews, publishViewsNeeds, publishViews),
  [StageId.Forecast]: defineStage(StageId.Forecast, forecastNeeds, forecast),
  [StageId.AnnounceForecast]: defineStage(StageId.AnnounceForecast, announceForecastNeeds, announceForecast),
  [StageId.Alert]: defineStage(StageId.Alert, alertNeeds, alert),
  [StageId.Watchdog]: defineStage(StageId.Watchdog, watchdogNeeds, watchdog),
};

/** Each stage as a function of a full set of deps: it still receives only the ports it declared. */
export const stages: Readonly<Record<StageId, StageHandler>> = {
  [StageId.RegisterLanding]: (event, deps) => stageDefinitions[StageId.RegisterLanding].run(event, deps),
  [StageId.RequestCrawl]: (event, deps) => stageDefinitions[StageId.RequestCrawl].run(event, deps),
  [StageId.CrawlBatch]: (event, deps) => stageDefinitions[StageId.CrawlBatch].run(event, deps),
  [StageId.AnnounceCrawl]: (event, deps) => stageDefinitions[StageId.AnnounceCrawl].run(event, deps),
  [StageId.Refine]: (event, deps) => stageDefinitions[StageId.Refine].run(event, deps),
  [StageId.Backfill]: (event, deps) => stageDefinitions[StageId.Backfill].run(event, deps),
  [StageId.AnnounceRefined]: (event, deps) => stageDefinitions[StageId.AnnounceRefined].run(event, deps),
  [StageId.PublishViews]: (event, deps) => stageDefinitions[StageId.PublishViews].run(event, deps),
  [StageId.Forecast]: (event, deps) => stageDefinitions[StageId.Forecast].run(event, deps),
  [StageId.AnnounceForecast]: (event, deps) => stageDefinitions[StageId.AnnounceForecast].run(event, deps),
  [StageId.Alert]: (event, deps) => stageDefinitions[StageId.Alert].run(event, deps),
  [StageId.Watchdog]: (event, deps) => stageDefinitions[StageId.Watchdog].run(event, deps),
};
