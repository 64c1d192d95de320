import type { PartitionGrain } from '../../contracts/dataset-manifest';
import { HOUR_MS } from './hours';

const DAY_MS = 24 * HOUR_MS;

/** The start (epoch ms, UTC) of the partition of the grain that contains the instant `ms`. */
export function grainStart(ms: number, grain: PartitionGrain): number {
  if (grain === 'hour') return Math.floor(ms / HOUR_MS) * HOUR_MS;
  if (grain === 'day') return Math.floor(ms / DAY_MS) * DAY_MS;
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** The start of the partition after the one starting at `start` (a grain start). */
export function grainNext(start: number, grain: PartitionGrain): number {
  if (grain === 'hour') return start + HOUR_MS;
  if (grain === 'day') return start + DAY_MS;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The start of every partition of the grain from the one containing `fromMs` to the one containing `toMs`. */
export function partitionsBetween(fromMs: number, toMs: number, grain: PartitionGrain): number[] {
  const starts: number[] = [];
  for (let p = grainStart(fromMs, grain); p <= toMs; p = grainNext(p, grain)) starts.push(p);
  return starts;
}

/** A refine window: event time [start, end) and the partitions (starts) it writes, at most a query's limit. */
export interface PartitionWindow {
  readonly start: number;
  readonly end: number;
  readonly hours: number[];
}

/**
 * Splits partition starts into windows of at most `max` partitions each. With `gaps` false a window
 * holds consecutive partitions only (the partitions a window names are all it swaps, so every
 * partition between its start and end must be one of them); with `gaps` true the starts are the
 * partitions known to hold rows, and a window may span partitions without rows, so the number of
 * windows follows the partitions with rows, not the time they span.
 */
export function partitionWindows(starts: readonly number[], max: number, grain: PartitionGrain, gaps = false): PartitionWindow[] {
  const sorted = [...new Set(starts)].sort((a, b) => a - b);
  const windows: PartitionWindow[] = [];
  for (const p of sorted) {
    const last = windows[windows.length - 1];
    if (last && (gaps || p === last.end) && last.hours.length < max) {
      last.hours.push(p);
      windows[windows.length - 1] = { ...last, end: grainNext(p, grain) };
    } else windows.push({ start: p, end: grainNext(p, grain), hours: [p] });
  }
  return windows;
}
