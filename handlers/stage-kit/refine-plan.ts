import type { DatasetManifest } from '../../contracts/dataset-manifest';
import type { RunSummary } from '../ports/run-store';
import { hourStart, hoursBetween, hourWindows, sqlHour } from './hours';

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
 * Per run, the first and last event hour (epoch ms) its readings feed (`hoursFedBy`, which is one
 * span); runs without events are absent. The refine records it in its jobs, so the announcement links
 * each run to the job's partitions it feeds without reading run state again.
 */
export function fedHourSpans(manifest: DatasetManifest, runs: readonly RunSummary[]): Record<string, [number, number]> {
  return Object.fromEntries(runs.flatMap((run) => {
    const hours = hoursFedBy(manifest, run);
    const [first, last] = [hours[0], hours[hours.length - 1]];
    return first === undefined || last === undefined ? [] : [[run.runId, [first, last]]];
  }));
}

/** The SQL literals of a window, as the dataset's refine SQL takes them. */
export function windowParams(window: RefineWindow, manifest: DatasetManifest): { window_start: string; window_end: string; lookback_minutes: number } {
  return { window_start: sqlHour(window.start), window_end: sqlHour(window.end), lookback_minutes: manifest.lookback.minutes };
}
