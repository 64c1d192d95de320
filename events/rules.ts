import { AwsDetailType, AwsSource } from '../contracts/aws-events';
import type { DatasetManifest } from '../contracts/dataset-manifest';
import { DomainDetailType, TRIBUTARY_SOURCE } from '../contracts/domain-events';
import { StageId } from './stage-ids';
import { localTopologyNames, type TopologyNames } from './topology-names';

/** An EventBridge event pattern as data: what `PutRule` takes as JSON. */
export type EventPattern = Readonly<Record<string, unknown>>;

/** How long and how often the bus retries a failed delivery (EventBridge target `RetryPolicy`). */
export interface RetryPolicy {
  readonly maximumEventAgeInSeconds: number;
  readonly maximumRetryAttempts: number;
}

/**
 * One subscription of the topology: a rule on the bus with exactly one target stage.
 *
 * The CDK stack creates one EventBridge rule per row and the local bus compiles the same rows, so
 * this table is the pipeline; no other file decides who hears what.
 */
export interface RuleRow {
  readonly id: string;
  readonly description: string;
  readonly eventBusName: string;
  readonly pattern: EventPattern;
  readonly target: StageId;
  readonly retryPolicy: RetryPolicy;
  /** Name of the dead-letter queue that receives deliveries that exhausted their retries. */
  readonly deadLetterQueue: string;
}

/**
 * Stages started on a schedule rather than by an event pattern, with their EventBridge schedule
 * expression: the CDK app creates one schedule rule (on the default bus, where schedules live) per
 * entry; the embedded runtime runs the same work on a timer of its own.
 */
export const SCHEDULED_STAGES: Readonly<Partial<Record<StageId, string>>> = {
  [StageId.Watchdog]: 'rate(5 minutes)',
};

/**
 * The schedule rule of a batch-triggered dataset (a manifest with `trigger.schedule`): on each tick it
 * delivers a `Scheduled Event` to the crawl-batch stage, which requests one raw crawl covering every
 * run of the dataset landed since. Schedule rules live on the `default` bus (on AWS they can only).
 */
export interface BatchTriggerRule {
  /** `batch-<dataset>`; its DLQ is `<prefix>-batch-<dataset>-dlq`. */
  readonly id: string;
  /** `<prefix>-batch-<dataset>`: the stage finds the dataset from this name in the event's `resources`. */
  readonly ruleName: string;
  readonly dataset: string;
  readonly scheduleExpression: string;
  readonly target: StageId;
  readonly deadLetterQueue: string;
}

/** The batch trigger rule of every dataset whose manifest declares one, by dataset name. */
export function batchTriggerRules(names: TopologyNames, manifests: readonly Pick<DatasetManifest, 'name' | 'trigger'>[]): BatchTriggerRule[] {
  return manifests.flatMap((m) =>
    m.trigger === undefined
      ? []
      : [{ id: `batch-${m.name}`, ruleName: `${names.resourcePrefix}-batch-${m.name}`, dataset: m.name, scheduleExpression: m.trigger.schedule, target: StageId.CrawlBatch, deadLetterQueue: `${names.resourcePrefix}-batch-${m.name}-dlq` }],
  );
}

/**
 * The dataset a batch trigger rule's ARN (`arn:…:rule/<prefix>-batch-<dataset>`, on the default bus)
 * stands for, or undefined when the ARN is not one of ours.
 */
export function datasetOfBatchRule(names: TopologyNames, ruleArn: string): string | undefined {
  const name = /:rule\/(?:[^/]+\/)?([^/]+)$/.exec(ruleArn)?.[1];
  const prefix = `${names.resourcePrefix}-batch-`;
  return name?.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : undefined;
}

/** Stages that do real work: retried for an hour, a few times, then dead-lettered and alarmed. */
const workRetry: RetryPolicy = { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 8 };
/** Announcements and alerts are cheap and must not be lost: EventBridge's maximum policy. */
const announceRetry: RetryPolicy = { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 };

const ServiceState = {
  CrawlerFinished: ['Succeeded', 'Failed'],
  QueryFinished: ['SUCCEEDED', 'FAILED', 'CANCELLED'],
  TransformFinished: ['Completed', 'Failed', 'Stopped'],
} as const;

function domain(detailType: string, detail?: Record<string, unknown>): EventPattern {
  return { source: [TRIBUTARY_SOURCE], 'detail-type': [detailType], ...(detail ? { detail } : {}) };
}

/** The service events our stages consume, each narrowed to our own resources. */
export function servicePatterns(names: TopologyNames): Record<'objectCreated' | 'crawlerFinished' | 'queryFinished' | 'transformFinished', EventPattern> {
  const ours = [{ prefix: `${names.resourcePrefix}-` }];
  return {
    objectCreated: { source: [AwsSource.S3], 'detail-type': [AwsDetailType.ObjectCreated], detail: { bucket: { name: [names.rawBucket] } } },
    crawlerFinished: {
      source: [AwsSource.Glue],
      'detail-type': [AwsDetailType.GlueCrawlerStateChange],
      detail: { crawlerName: ours, state: [...ServiceState.CrawlerFinished] },
    },
    queryFinished: {
      source: [AwsSource.Athena],
      'detail-type': [AwsDetailType.AthenaQueryStateChange],
      detail: { workgroupName: [names.athenaWorkgroup], currentState: [...ServiceState.QueryFinished] },
    },
    transformFinished: {
      source: [AwsSource.SageMaker],
      'detail-type': [AwsDetailType.SageMakerTransformJobStateChange],
      detail: { TransformJobName: ours, TransformJobStatus: [...ServiceState.TransformFinished] },
    },
  };
}

/**
 * The pattern of the one rule on the `default` bus that forwards our service events to our bus:
 * an `$or` of the service patterns, so nothing else from the account reaches the pipeline.
 */
export function serviceForwardingPattern(names: TopologyNames): EventPattern {
  return { $or: Object.values(servicePatterns(names)) };
}

/** Builds the rule table for a set of resource names; one row per subscription of the DESIGN.md flow. */
export function ruleTable(names: TopologyNames = localTopologyNames): readonly RuleRow[] {
  const svc = servicePatterns(names);
  const row = (id: string, description: string, pattern: EventPattern, target: StageId, retryPolicy: RetryPolicy): RuleRow => ({
    id,
    description,
    eventBusName: names.busName,
    pattern,
    target,
    retryPolicy,
    deadLetterQueue: `${names.resourcePrefix}-${id}-dlq`,
  });
  return [
    row('raw-object-created', 'A file landed in the raw bucket: register it and start its run.', svc.objectCreated, StageId.RegisterLanding, workRetry),
    row('raw-landed-crawl', 'A raw file was registered: request a (coalesced) crawl of the raw zone.', domain(DomainDetailType.RawLanded), StageId.RequestCrawl, workRetry),
    row('crawler-finished', 'One of our crawlers finished: announce the table and honour a pending crawl.', svc.crawlerFinished, StageId.AnnounceCrawl, announceRetry),
    row('raw-crawled-refine', 'The raw table was crawled: refine the touched event-time partitions.', domain(DomainDetailType.TableCrawled, { zone: ['raw'] }), StageId.Refine, workRetry),
    row('backfill-requested', 'A backfill was requested: refine (or only forecast) its event-time window through the current rules.', domain(DomainDetailType.BackfillRequested), StageId.Backfill, workRetry),
    row('refine-query-finished', 'A refine query finished: swap staged partitions in and announce them.', svc.queryFinished, StageId.AnnounceRefined, announceRetry),
    row('refined-crawl', 'Refined partitions were written: request a crawl of the refined zone.', domain(DomainDetailType.RefinedWritten), StageId.RequestCrawl, workRetry),
    row('refined-publish-views', 'The refined table was crawled: (re)publish the dataset views over it.', domain(DomainDetailType.TableCrawled, { zone: ['refined'] }), StageId.PublishViews, workRetry),
    row('refined-forecast', 'Refined partitions were written: run the forecast batch transform.', domain(DomainDetailType.RefinedWritten), StageId.Forecast, workRetry),
    row('refined-crawled-forecast', 'The refined table was crawled: run the forecasts that waited for its first crawl.', domain(DomainDetailType.TableCrawled, { zone: ['refined'] }), StageId.Forecast, workRetry),
    row('transform-finished', 'A forecast transform job finished: announce the forecast.', svc.transformFinished, StageId.AnnounceForecast, announceRetry),
    row('forecast-crawl', 'A forecast was written: request a crawl of the forecast zone.', domain(DomainDetailType.ForecastReady), StageId.RequestCrawl, workRetry),
    row('stage-failed-alert', 'Any stage failed: page the people on call.', domain(DomainDetailType.StageFailed), StageId.Alert, announceRetry),
  ];
}
