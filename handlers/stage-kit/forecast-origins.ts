import type { Partition } from '../../contracts/domain-events';
import type { StepGrid } from '../forecast-model/step-grid';

/** How refined and forecast data are partitioned by event time. */
export type PartitionGrain = 'hour' | 'day' | 'month';

/** The start (epoch ms, UTC) of the partition of `grain` holding an instant. */
export function partitionStart(ms: number, grain: PartitionGrain): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  if (grain === 'month') return Date.UTC(y, m, 1);
  if (grain === 'day') return Date.UTC(y, m, d.getUTCDate());
  return Date.UTC(y, m, d.getUTCDate(), d.getUTCHours());
}

/** The start of the partition after the one starting at `start`. */
export function nextPartitionStart(start: number, grain: PartitionGrain): number {
  if (grain === 'month') {
    const d = new Date(start);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  return start + (grain === 'day' ? 86_400_000 : 3_600_000);
}

/** The start of a partition given by its values under the keys (year, month[, day[, hour]]). */
export function startOfPartition(partition: Partition, keys: readonly string[]): number {
  const [y, m, d, h] = keys.map((k) => Number(partition[k] ?? ''));
  return Date.UTC(y ?? Number.NaN, (m ?? 1) - 1, d ?? 1, h ?? 0);
}

/** Where an origin partition's forecast reads from: one lookback of steps before its first step. */
export function inputStart(origin: number, grid: StepGrid, lookback: number): number {
  return grid.start(grid.index(origin) - lookback);
}

/**
 * The origin partitions whose forecast reads a changed partition: each changed partition and every
 * later one whose input (from `lookback` steps before its start up to its end) still reaches into it,
 * sorted. A forecast job recomputes exactly these, so an origin's forecast follows its inputs.
 */
export function coveredOrigins(changed: readonly number[], grain: PartitionGrain, grid: StepGrid, lookback: number): number[] {
  const covered = new Set<number>();
  for (const start of changed) {
    const end = nextPartitionStart(start, grain);
    for (let origin = start; inputStart(origin, grid, lookback) < end; origin = nextPartitionStart(origin, grain)) covered.add(origin);
  }
  return [...covered].sort((a, b) => a - b);
}

/** `YYYY-MM-DD HH:MM:SS` (UTC), the literal the dataset SQL takes for window bounds. */
export function sqlTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
