import { AwsDetailType, AwsSource, GlueCrawlerState, type GlueCrawlerStateChangeDetail } from '../../../contracts/aws-events';
import type { PutEventsEntry } from '../../../events/put-events';
import type { CrawlReport } from './crawl-report';

/** Where the local stand-in says the events come from (the local emulator convention). */
export interface EventOrigin {
  readonly account: string;
  readonly region: string;
}

/** At most this many unreadable objects are named in a warningMessage; the report holds all. */
const NAMED_UNREADABLE = 3;

/**
 * Builds the PutEvents entry of a `Glue Crawler State Change` event (source `aws.glue`, bus
 * `default`, no resources) in the shape Glue sends: counters as strings, `runningTime (sec)`,
 * `warningMessage` "N/A" when there is nothing to warn about, a CloudWatch-style log link.
 */
export function crawlerStateChangeEntry(detail: GlueCrawlerStateChangeDetail, time: Date): PutEventsEntry {
  return { Source: AwsSource.Glue, DetailType: AwsDetailType.GlueCrawlerStateChange, Detail: JSON.stringify(detail), Resources: [], Time: time, EventBusName: 'default' };
}

/** The detail of the Started event. */
export function startedDetail(crawlerName: string, startTime: string, origin: EventOrigin): GlueCrawlerStateChangeDetail {
  return { accountId: origin.account, crawlerName, startTime, state: GlueCrawlerState.Started, message: 'Crawler Started' };
}

/** The detail of the Succeeded or Failed event that ends a run. */
export function finishedDetail(report: CrawlReport, origin: EventOrigin): GlueCrawlerStateChangeDetail {
  const cloudWatchLogLink = `https://console.aws.amazon.com/cloudwatch/home?region=${origin.region}#logEventViewer:group=/aws-glue/crawlers;stream=${report.crawlerName}`;
  if (report.errorMessage !== undefined) {
    return { crawlerName: report.crawlerName, errorMessage: report.errorMessage, accountId: origin.account, cloudWatchLogLink, state: GlueCrawlerState.Failed, message: 'Crawler Failed' };
  }
  const c = report.counters;
  const seconds = Math.round((Date.parse(report.completionDate) - Date.parse(report.startTime)) / 1000);
  return {
    tablesCreated: String(c.tablesCreated),
    warningMessage: warningMessage(report),
    partitionsUpdated: String(c.partitionsUpdated),
    tablesUpdated: String(c.tablesUpdated),
    message: 'Crawler Succeeded',
    partitionsDeleted: String(c.partitionsDeleted),
    accountId: origin.account,
    'runningTime (sec)': String(Math.max(0, seconds)),
    tablesDeleted: String(c.tablesDeleted),
    crawlerName: report.crawlerName,
    completionDate: report.completionDate,
    state: GlueCrawlerState.Succeeded,
    partitionsCreated: String(c.partitionsCreated),
    cloudWatchLogLink,
  };
}

/** One line summarising unreadable objects, added and retyped columns and other warnings, or "N/A". */
export function warningMessage(report: CrawlReport): string {
  const parts: string[] = [];
  const bad = report.unreadableObjects;
  if (bad.length > 0) {
    const named = bad.slice(0, NAMED_UNREADABLE).map((u) => `${u.uri} (${u.reason})`).join('; ');
    parts.push(`${bad.length} object(s) could not be classified and were skipped: ${named}${bad.length > NAMED_UNREADABLE ? '; …' : ''}`);
  }
  for (const c of report.schemaChanges) {
    if (c.kind === 'TypeChanged') parts.push(`table ${c.table}: column ${c.column ?? ''} type changed from ${c.from ?? ''} to ${c.to ?? ''} (${c.applied ? 'updated' : 'kept, logged only'})`);
    if (c.kind === 'ColumnAdded') parts.push(`table ${c.table}: column ${c.column ?? ''} ${c.to ?? ''} added (${c.applied ? 'applied' : 'logged only'})`);
  }
  parts.push(...report.warnings);
  return parts.length === 0 ? 'N/A' : parts.join(' | ');
}
