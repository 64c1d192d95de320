import { StageId } from '../../events/stage-ids';

/** The kinds of access a stage can be granted; each maps to IAM statements scoped to our resources. */
export const Capability = {
  /** Publish domain events (including StageFailed) onto our bus. */
  PublishEvents: 'publish-events',
  /** Read and write the run table. */
  RunState: 'run-state',
  /** Read and write the idempotency table. */
  Idempotency: 'idempotency',
  ReadRaw: 'read-raw',
  /** Move a bad raw file to quarantine and write rejects there (raw delete, quarantine write). */
  Quarantine: 'quarantine',
  ReadRefined: 'read-refined',
  WriteRefined: 'write-refined',
  ReadForecast: 'read-forecast',
  WriteForecast: 'write-forecast',
  /** Run Athena queries in our workgroup, with their result location. */
  RunQueries: 'run-queries',
  ReadCatalog: 'read-catalog',
  /** Create and update tables, views and partitions in our database. */
  WriteCatalog: 'write-catalog',
  /** Get and start our crawlers. */
  StartCrawlers: 'start-crawlers',
  /** Create and describe transform jobs named with our prefix, on our model. */
  RunTransforms: 'run-transforms',
  /** Publish to the alert topic. */
  SendAlerts: 'send-alerts',
} as const;
/** One capability. */
export type Capability = (typeof Capability)[keyof typeof Capability];

const common: readonly Capability[] = [Capability.PublishEvents, Capability.RunState, Capability.Idempotency];

/**
 * What each stage may do, and nothing more: the stack turns each capability into IAM statements on
 * that stage's role only. Read with the stage's code in `handlers/`; a stage that needs a new call
 * gets it here, in one place, and the infra test shows which roles can do what.
 */
export const stagePermissions: Readonly<Record<StageId, readonly Capability[]>> = {
  [StageId.RegisterLanding]: [...common, Capability.ReadRaw, Capability.Quarantine],
  [StageId.RequestCrawl]: [...common, Capability.StartCrawlers],
  [StageId.CrawlBatch]: [...common, Capability.StartCrawlers],
  [StageId.AnnounceCrawl]: [...common, Capability.StartCrawlers, Capability.ReadCatalog],
  [StageId.Refine]: [...common, Capability.RunQueries, Capability.ReadRaw, Capability.ReadRefined, Capability.WriteRefined, Capability.Quarantine, Capability.ReadCatalog, Capability.WriteCatalog],
  [StageId.Backfill]: [...common, Capability.RunQueries, Capability.ReadRaw, Capability.ReadRefined, Capability.WriteRefined, Capability.ReadForecast, Capability.WriteForecast, Capability.ReadCatalog, Capability.WriteCatalog, Capability.RunTransforms],
  [StageId.AnnounceRefined]: [...common, Capability.RunQueries, Capability.ReadRefined, Capability.WriteRefined, Capability.ReadCatalog, Capability.WriteCatalog],
  [StageId.PublishViews]: [...common, Capability.RunQueries, Capability.ReadRefined, Capability.ReadCatalog, Capability.WriteCatalog],
  [StageId.Forecast]: [...common, Capability.RunQueries, Capability.ReadRefined, Capability.ReadForecast, Capability.WriteForecast, Capability.ReadCatalog, Capability.RunTransforms],
  [StageId.AnnounceForecast]: [...common, Capability.RunTransforms, Capability.ReadForecast, Capability.WriteForecast, Capability.ReadCatalog],
  [StageId.Alert]: [...common, Capability.SendAlerts],
  [StageId.Watchdog]: [...common],
};
