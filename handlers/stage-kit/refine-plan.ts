import type { DatasetManifest } from '../../contracts/dataset-manifest';
import type { RunSummary } from '../ports/run-store';
import { grainNext, partitionsBetween, partitionWindows } from './grain';
import { HOUR_MS, sqlHour } from './hours';

/** Athena's limit of partitions one query may write (HIVE_TOO_MANY_OPEN_PARTITIONS above it). */
export const MAX_PARTITIONS_PER_QUERY = 100;

/**
 * One refine query: an event-time window [start, end) and the partitions it writes and swaps in
 * (`hours`: partition starts at the dataset's grain, epoch ms; at most 100).
 */
export interface RefineWindow {
  readonly start: number;
  readonly end: number;
  readonly hours: readonly number[];
}

/**
 * The partitions to recompute for some runs: for each object, every partition of the dataset's grain
 * from its earliest event to its latest event plus the dataset's lookback (a reading feeds the
 * windows of the next partition for that long), split into queries of at most 100 consecutive
 * partitions. Whole partitions are recomputed from every raw object, so the result never depends on
 * which runs came together. `partitions` counts them: above one query's worth, the refine asks which
 * of them hold rows (`sparseWindows`), so sparse data is not priced per partition it spans.
 */
export function planRefine(manifest: DatasetManifest, runs: readonly RunSummary[]): { windows: RefineWindow[]; withoutEvents: string[]; partitions: number } {
  const starts = new Set<number>();
  const withoutEvents: string[] = [];
  for (const run of runs) {
    if (!run.eventTimeRange) withoutEvents.push(run.runId);
    else for (const p of hoursFedBy(manifest, run)) starts.add(p);
  }
  return { windows: partitionWindows([...starts], MAX_PARTITIONS_PER_QUERY, manifest.partitioning.by), withoutEvents, partitions: starts.size };
}

/**
 * The windows of a refine whose partitions holding rows are known (`withRows`: the starts of the
 * partitions any raw object it reads has an event in, within the planned windows): at most 100 such
 * partitions per query, spanning the partitions without rows between them (those stay as they are:
 * no object has a row there). The number of queries follows the partitions with rows.
 */
export function sparseWindows(manifest: DatasetManifest, planned: readonly RefineWindow[], withRows: readonly number[]): RefineWindow[] {
  const inPlan = withRows.filter((p) => planned.some((w) => p >= w.start && p < w.end));
  return partitionWindows(inPlan, MAX_PARTITIONS_PER_QUERY, manifest.partitioning.by, true);
}

/**
 * The partitions (starts at the dataset's grain, epoch ms) an object's readings feed: from its
 * earliest event to its latest plus the dataset's lookback. These are the refined partitions of its lineage.
 */
export function hoursFedBy(manifest: DatasetManifest, run: RunSummary): number[] {
  const range = run.eventTimeRange;
  return range ? partitionsBetween(Date.parse(range.min), Date.parse(range.max) + manifest.lookback.minutes * 60_000, manifest.partitioning.by) : [];
}

/**
 * For each of `runIds`, in order, the first and last partition its readings feed (`hoursFedBy`, one
 * span), counted in hours from `baseHour`; null for a run without events (or unknown). A refine
 * records them in its jobs, so the announcement links each run to the job's partitions it feeds
 * without reading run state again. Small numbers in a list keep a job of thousands of runs far below
 * DynamoDB's 400 KB item limit.
 */
export function fedHourSpans(manifest: DatasetManifest, runIds: readonly string[], runs: readonly RunSummary[], baseHour: number): ([number, number] | null)[] {
  const byId = new Map(runs.map((r) => [r.runId, r]));
  return runIds.map((runId) => {
    const run = byId.get(runId);
    const hours = run ? hoursFedBy(manifest, run) : [];
    const [first, last] = [hours[0], hours[hours.length - 1]];
    return first === undefined || last === undefined ? null : [(first - baseHour) / HOUR_MS, (last - baseHour) / HOUR_MS];
  });
}

/**
 * Raw objects one refine query names at most (`"$path" IN (:objects)`): s3 URIs of ~120 characters
 * keep its SQL far below Athena's 256 KB query limit.
 */
export const MAX_OBJECTS_PER_QUERY = 1000;

/** The event times (inclusive, ISO instants) whose readings a window's query reads: its hours and the lookback before them. */
export function windowReadSpan(window: RefineWindow, manifest: DatasetManifest): { from: string; to: string } {
  return { from: new Date(window.start - manifest.lookback.minutes * 60_000).toISOString(), to: new Date(window.end - 1).toISOString() };
}

/**
 * The most UTC days one lookup of objects by event time may span: run state indexes objects per day,
 * a query per day, so a window of 100 month partitions (3,000 days) is split.
 */
export const MAX_WINDOW_DAYS = 1000;

/** The UTC days a span touches. */
export function spanDays(span: { from: string; to: string }): number {
  const DAY = 24 * HOUR_MS;
  return Math.floor(Date.parse(span.to) / DAY) - Math.floor(Date.parse(span.from) / DAY) + 1;
}

/**
 * Each window with the raw objects its query reads: those whose event-time range overlaps its read
 * span (`objectsIn`, from run state's index), sorted. A window with more than `MAX_OBJECTS_PER_QUERY`,
 * or whose read span is longer than `MAX_WINDOW_DAYS`, is split by partitions, in halves, until each
 * part fits or is one partition.
 */
export async function windowsWithObjects(windows: readonly RefineWindow[], manifest: DatasetManifest, objectsIn: (span: { from: string; to: string }) => Promise<readonly string[]>): Promise<{ window: RefineWindow; objects: string[] }[]> {
  const out: { window: RefineWindow; objects: string[] }[] = [];
  const visit = async (window: RefineWindow): Promise<void> => {
    const span = windowReadSpan(window, manifest);
    const tooLong = spanDays(span) > MAX_WINDOW_DAYS && window.hours.length > 1;
    const objects = tooLong ? [] : [...new Set(await objectsIn(span))].sort();
    if (!tooLong && (objects.length <= MAX_OBJECTS_PER_QUERY || window.hours.length === 1)) {
      out.push({ window, objects });
      return;
    }
    const half = Math.ceil(window.hours.length / 2);
    for (const hours of [window.hours.slice(0, half), window.hours.slice(half)]) {
      const first = hours[0] ?? window.start;
      await visit({ start: first, end: grainNext(hours[hours.length - 1] ?? first, manifest.partitioning.by), hours });
    }
  };
  for (const window of windows) await visit(window);
  return out;
}

/** The SQL literals of a window and the objects it reads, as the dataset's refine SQL takes them. */
export function windowParams(window: RefineWindow, manifest: DatasetManifest, objects: readonly string[]): { window_start: string; window_end: string; lookback_minutes: number; objects: readonly string[] } {
  return { window_start: sqlHour(window.start), window_end: sqlHour(window.end), lookback_minutes: manifest.lookback.minutes, objects };
}
