/**
 * The stages of the pipeline, one per file under `handlers/`, named verb-noun.
 *
 * A rule row targets a stage by this id; the local runtime registers the stage's handler under it and
 * the CDK app creates one Lambda per id, so the id is the one name a stage has everywhere.
 */
export const StageId = {
  RegisterLanding: 'register-landing',
  RequestCrawl: 'request-crawl',
  CrawlBatch: 'crawl-batch',
  AnnounceCrawl: 'announce-crawl',
  Refine: 'refine',
  Backfill: 'backfill',
  AnnounceRefined: 'announce-refined',
  PublishViews: 'publish-views',
  Forecast: 'forecast',
  AnnounceForecast: 'announce-forecast',
  Alert: 'alert',
  Watchdog: 'watchdog',
} as const;

/** One stage id. */
export type StageId = (typeof StageId)[keyof typeof StageId];
