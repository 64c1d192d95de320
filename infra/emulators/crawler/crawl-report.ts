import { z } from 'zod';
import { LastCrawlStatus } from '../../../handlers/ports/crawler';

/** Kinds of difference between a crawled schema and the table already in the catalog. */
export const SchemaChangeKind = {
  ColumnAdded: 'ColumnAdded',
  ColumnRemoved: 'ColumnRemoved',
  TypeChanged: 'TypeChanged',
  PartitionKeysChanged: 'PartitionKeysChanged',
} as const;
/** One schema change kind. */
export type SchemaChangeKind = (typeof SchemaChangeKind)[keyof typeof SchemaChangeKind];

/**
 * A difference the crawl found against the catalog. `applied` says whether the catalog now holds the
 * new shape: true under UPDATE_IN_DATABASE, false under LOG, and false for type changes and removed
 * columns under `MergeNewColumns` (the table keeps its type; the change is only reported).
 */
export const SchemaChangeSchema = z.object({
  table: z.string(),
  kind: z.enum(SchemaChangeKind),
  column: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  applied: z.boolean(),
});
/** One schema change. */
export type SchemaChange = z.infer<typeof SchemaChangeSchema>;

/** An object no built-in classifier accepted (Glue's UNKNOWN), left out of every table. */
export const UnreadableObjectSchema = z.object({ uri: z.string(), reason: z.string() });
/** One unreadable object. */
export type UnreadableObject = z.infer<typeof UnreadableObjectSchema>;

const Count = z.number().int().nonnegative();
/** The counters a `Glue Crawler State Change` Succeeded event carries (numbers here, strings there). */
export const CrawlCountersSchema = z.object({
  tablesCreated: Count,
  tablesUpdated: Count,
  tablesDeleted: Count,
  partitionsCreated: Count,
  partitionsUpdated: Count,
  partitionsDeleted: Count,
});
/** Mutable counters, incremented while a run writes the catalog. */
export type CrawlCounters = z.infer<typeof CrawlCountersSchema>;

/**
 * What one crawler run did: the local stand-in for the crawler's CloudWatch log. Returned by
 * `awaitCrawl`, kept on disk as the crawler's last report, summarised in the event's `warningMessage`.
 */
export const CrawlReportSchema = z.object({
  crawlerName: z.string(),
  runId: z.string(),
  status: z.enum(LastCrawlStatus),
  startTime: z.string(),
  completionDate: z.string(),
  counters: CrawlCountersSchema,
  /** Names of the tables this run found (created, updated or unchanged). */
  tables: z.array(z.string()),
  schemaChanges: z.array(SchemaChangeSchema),
  unreadableObjects: z.array(UnreadableObjectSchema),
  warnings: z.array(z.string()),
  errorMessage: z.string().optional(),
  /**
   * What the run read of its targets: `full` listed them whole; `events` (S3 event mode) listed only
   * the folders its queued events named. `folders` listed, `objects` (files) listed, `inferred` files
   * opened to classify (the rest reused a verdict for the same size and mtime).
   */
  reads: z.object({ mode: z.enum(['full', 'events']), folders: Count, objects: Count, inferred: Count }).optional(),
});
/** One run's report. */
export type CrawlReport = z.infer<typeof CrawlReportSchema>;

/** The report of a run that could not complete: FAILED, nothing counted, the reason kept. */
export function failedCrawlReport(crawlerName: string, runId: string, startTime: string, errorMessage: string, unreadableObjects: UnreadableObject[] = []): CrawlReport {
  return {
    crawlerName,
    runId,
    status: LastCrawlStatus.Failed,
    startTime,
    completionDate: new Date().toISOString(),
    counters: { tablesCreated: 0, tablesUpdated: 0, tablesDeleted: 0, partitionsCreated: 0, partitionsUpdated: 0, partitionsDeleted: 0 },
    tables: [],
    schemaChanges: [],
    unreadableObjects,
    warnings: [],
    errorMessage,
  };
}
