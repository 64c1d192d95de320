import { z } from 'zod';
import { StageStatus, type RunError, type RunSummary, type StageRecord, type TimelineEntry } from '../../handlers/ports/run-store';
import { RunStoreError } from '../../handlers/ports/run-store-errors';

/**
 * The item shapes of the run table and their conversion to the port's records. Items come back from
 * DynamoDB untyped; they are parsed here with zod so a corrupt or foreign item is a clear error, not
 * a silently wrong answer.
 */

const StatusSchema = z.enum([StageStatus.Pending, StageStatus.Running, StageStatus.Succeeded, StageStatus.Failed, StageStatus.Quarantined]);
const ErrorSchema = z.object({ errorClass: z.string(), message: z.string(), retryable: z.boolean() });
const StringSet = z.set(z.string());
const CountSchema = z.number().int().nonnegative();
/** A run's row accounting (`RowCounts`), as the run item keeps it. */
export const RowCountsSchema = z.object({ read: CountSchema, refined: CountSchema, rejected: CountSchema, duplicates: CountSchema });

/** One stage's state in a run item's `stages` map (keyed by stage name); `version` orders its transitions. */
export const StageEntrySchema = z.object({
  status: StatusSchema,
  version: z.string(),
  attempts: z.number().optional(),
  pendingAt: z.string().optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  updatedAt: z.string(),
  error: ErrorSchema.optional(),
});
/** A parsed stage entry. */
export type StageEntry = z.infer<typeof StageEntrySchema>;

/**
 * The `RUN#<id>` / `RUN` item: the landing, its event-time range and each stage's state (`stages`, one
 * entry per stage, so a transition is one write of this item). The summary of the last transition is
 * the newest entry; `lastStage`…`error` hold it only for runs landed by earlier versions.
 */
export const RunItemSchema = z.object({
  runId: z.string(),
  dataset: z.string(),
  bucket: z.string(),
  key: z.string(),
  etag: z.string(),
  size: z.number(),
  landedAt: z.string(),
  updatedAt: z.string(),
  minTime: z.string().optional(),
  maxTime: z.string().optional(),
  lastStage: z.string().optional(),
  lastStatus: StatusSchema.optional(),
  lastVersion: z.string().optional(),
  error: ErrorSchema.optional(),
  quarantined: z.boolean().optional(),
  refinedPartitions: StringSet.optional(),
  rowCounts: RowCountsSchema.optional(),
  rowsAtLanding: CountSchema.optional(),
  stages: z.record(z.string(), StageEntrySchema).optional(),
  /** Set on runs landed by this version: their stage state never lived in `STAGE#` items. */
  stagesInRunItem: z.boolean().optional(),
});
/** A parsed run item. */
export type RunItem = z.infer<typeof RunItemSchema>;

/**
 * The `STAGE#<stage>` item of a run, where stage state was kept before it moved into the run item's
 * `stages` map. Still read (a run table written by an earlier version keeps them); never written.
 */
export const LegacyStageItemSchema = StageEntrySchema.extend({ stage: z.string() });

/** A legacy `STAGE#` item's state as a stage entry (the stage is the map key). */
export function legacyStageEntry(legacy: z.output<typeof LegacyStageItemSchema>): StageEntry {
  const { stage: _stage, ...entry } = legacy;
  return entry;
}

/** The `EVENT#…` item of a run: one applied transition. */
export const EventItemSchema = z.object({ at: z.string(), stage: z.string(), status: StatusSchema, error: ErrorSchema.optional() });

/** The `PART#<dataset>#<partition>` item: forecast outputs made from a refined partition. */
export const PartitionItemSchema = z.object({ partition: z.string(), forecastOutputs: StringSet.optional() });

/** The `EVT#<dataset>#<day>` / `<runId>` item of the event-time index. */
export const EventDayItemSchema = z.object({
  runId: z.string(),
  bucket: z.string(),
  key: z.string(),
  etag: z.string(),
  size: z.number(),
  landedAt: z.string(),
  minTime: z.string(),
  maxTime: z.string(),
});

/** The `CRAWL#<dataset>#<zone>` item. */
export const CrawlItemSchema = z.object({ dataset: z.string(), zone: z.string(), version: z.string(), since: z.string(), requests: z.number() });

/** An open run-less stage failure (`dataset`/`zone` empty when it concerns none). */
export const StageFailureItemSchema = z.object({ stage: z.string(), dataset: z.string(), zone: z.string(), errorClass: z.string(), message: z.string(), retryable: z.boolean(), at: z.string() });

/** Parses one item, throwing a poison RunStoreError that names the item kind and the problem. */
export function parseItem<S extends z.ZodType>(schema: S, item: unknown, what: string): z.output<S> {
  const result = schema.safeParse(item);
  if (result.success) return result.data;
  throw new RunStoreError(`run table holds a malformed ${what} item: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
    retryable: false,
    cause: result.error,
  });
}

function withError<T extends object>(value: T, error: RunError | undefined): T & { error?: RunError } {
  return error === undefined ? value : { ...value, error };
}

/** The state of a run's last transition: its stage, status and version (the order of transitions). */
export interface SummaryState {
  readonly stage: string;
  readonly status: StageStatus;
  readonly version: string;
}

/**
 * The newest entry of a run item's stage map, for runs whose stage state all lives there
 * (`stagesInRunItem`; transitions write no summary fields, so their update stays short).
 */
function newestEntry(item: RunItem): [string, StageEntry] | undefined {
  let newest: [string, StageEntry] | undefined;
  for (const [stage, entry] of Object.entries(item.stages ?? {})) if (newest === undefined || entry.version > newest[1].version) newest = [stage, entry];
  return newest;
}

/**
 * The state of a run's last transition: the newest entry of its stage map, else (runs landed by
 * earlier versions) the summary fields those versions wrote with every transition. Undefined before
 * any transition.
 */
export function summaryState(item: RunItem): SummaryState | undefined {
  if (item.stagesInRunItem !== true) return item.lastStage !== undefined && item.lastStatus !== undefined ? { stage: item.lastStage, status: item.lastStatus, version: item.lastVersion ?? '' } : undefined;
  const newest = newestEntry(item);
  return newest && { stage: newest[0], status: newest[1].status, version: newest[1].version };
}

/** The summary of a run's last transition (see `summaryState`), with its time and error. */
function lastTransition(item: RunItem): { stage?: string; status?: StageStatus; updatedAt: string; error?: RunError } {
  if (item.stagesInRunItem !== true) return { ...(item.lastStage !== undefined ? { stage: item.lastStage } : {}), ...(item.lastStatus !== undefined ? { status: item.lastStatus } : {}), updatedAt: item.updatedAt, ...(item.error ? { error: item.error } : {}) };
  const newest = newestEntry(item);
  if (newest === undefined) return { updatedAt: item.updatedAt };
  const [stage, entry] = newest;
  return { stage, status: entry.status, updatedAt: entry.updatedAt > item.updatedAt ? entry.updatedAt : item.updatedAt, ...(entry.error ? { error: entry.error } : {}) };
}

/** The port's summary of a run item. */
export function toRunSummary(item: RunItem): RunSummary {
  const last = lastTransition(item);
  const base: RunSummary = {
    runId: item.runId,
    dataset: item.dataset,
    object: { bucket: item.bucket, key: item.key, etag: item.etag, size: item.size },
    landedAt: item.landedAt,
    updatedAt: last.updatedAt,
    ...(item.minTime !== undefined && item.maxTime !== undefined ? { eventTimeRange: { min: item.minTime, max: item.maxTime } } : {}),
    ...(last.stage !== undefined ? { lastStage: last.stage } : {}),
    ...(last.status !== undefined ? { lastStatus: last.status } : {}),
    ...(item.rowCounts !== undefined ? { rowCounts: item.rowCounts } : {}),
    ...(item.rowsAtLanding !== undefined ? { rowsAtLanding: item.rowsAtLanding } : {}),
  };
  return withError(base, last.error);
}

/** The port's record of a stage entry. */
export function toStageRecord(stage: string, entry: StageEntry): StageRecord {
  const { version: _version, attempts, error, ...rest } = entry;
  return withError({ stage, ...rest, attempts: attempts ?? 0 }, error);
}

/** The port's timeline entry of an event item. */
export function toTimelineEntry(item: z.output<typeof EventItemSchema>): TimelineEntry {
  return withError({ at: item.at, stage: item.stage, status: item.status }, item.error);
}
