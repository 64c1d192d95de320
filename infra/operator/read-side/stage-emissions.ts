import { AwsDetailType } from '../../../contracts/aws-events';
import { DomainDetailType } from '../../../contracts/domain-events';
import { StageId } from '../../../events/stage-ids';

/**
 * What each stage causes next, as detail-types: the domain events it publishes and the service
 * events of the work it starts (a crawl, a query, a transform). The rule table says who *hears* what;
 * this says who *says* it, so the pipeline graph can close the loop. Every stage may also publish
 * `StageFailed`, which the graph shows once rather than as an edge from each stage.
 */
export const STAGE_EMISSIONS: Readonly<Record<StageId, readonly string[]>> = {
  [StageId.RegisterLanding]: [DomainDetailType.RawLanded],
  [StageId.RequestCrawl]: [AwsDetailType.GlueCrawlerStateChange],
  [StageId.CrawlBatch]: [AwsDetailType.GlueCrawlerStateChange],
  [StageId.AnnounceCrawl]: [DomainDetailType.TableCrawled],
  [StageId.Refine]: [AwsDetailType.AthenaQueryStateChange],
  [StageId.Backfill]: [AwsDetailType.AthenaQueryStateChange],
  [StageId.AnnounceRefined]: [DomainDetailType.RefinedWritten],
  [StageId.PublishViews]: [],
  [StageId.Forecast]: [AwsDetailType.SageMakerTransformJobStateChange],
  [StageId.AnnounceForecast]: [DomainDetailType.ForecastReady],
  [StageId.Alert]: [],
  [StageId.Watchdog]: [DomainDetailType.StageFailed],
};
