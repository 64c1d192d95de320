import type { DatasetManifest } from '../../contracts/dataset-manifest';
import type { RunSummary } from '../ports/run-store';
import { HOUR_MS, hourStart, hoursBetween, hourWindows, sqlHour } from './hours';

/** Athena's limit of partitions one query may write (HIVE_TOO_MANY_OPEN_PARTITIONS above it). */
export const MAX_PARTITIONS_PER_QUERY = 100;

/** One refine query: a window of consecutive event hours, at most 100. */
export interface RefineWindow {
  readonly start: number;
  readonly end: number;
  readonly hours: readonly number[];
}

/**
 * The event-time hours to recompute for some runs: for each object, every hour from its earliest
 * event to its latest event plus the dataset's lookback (a reading feeds the windows of the next
 * hour for that long), split into queries of at most 100 partitions. Whole partitions are
 * recomputed from every raw object, so the result never depends on which runs came together.
 */
export function planRefine(manifest: DatasetManifest, runs: readonly RunSummary[]): { windows: RefineWindow[]; withoutEvents: string[] } {
  const hours: number[] = [];
  const withoutEvents: string[] = [];
  for (const run of runs) {
    if (!run.eventTimeRange) withoutEvents.push(run.runId);
    else hours.push(...hoursFedBy(manifest, run));
  }
  return { windows: hourWindows(hours, MAX_PARTITIONS_PER_QUERY), withoutEvents };
}

/**
 * The event hours (partition starts, epoch ms) an object's readings feed: from its earliest event to
 * its latest plus the dataset's lookback. These are the refined partitions of its lineage.
 */
export function hoursFedBy(manifest: DatasetManifest, run: RunSummary): number[] {
  const range = run.eventTimeRange;
  return range ? hoursBetween(hourStart(range.min), Date.parse(range.max) + manifest.lookback.minutes * 60_000) : [];
}

/**
 * For each of `runIds`, in order, the first and last event hour its readings feed (`hoursFedBy`, one
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

/** The SQL literals of a window, as the dataset's refine SQL takes them. */
export function windowParams(window: RefineWindow, manifest: DatasetManifest): { window_start: string; window_end: string; lookback_minutes: number } {
  return { window_start: sqlHour(window.start), window_end: sqlHour(window.end), lookback_minutes: manifest.lookback.minutes };
}
