import type { StepGrid } from './step-grid';

/** One input row of a forecast: the series key (the group-by values in order), its event time (epoch ms) and the target value. */
export interface SeriesRow {
  readonly key: readonly string[];
  readonly time: number;
  readonly value: number;
  /** How many readings `value` is the sum of (a step piece read pre-summed); 1 when absent. */
  readonly count?: number;
}

/** One series on a step grid: its key and the mean target value of each step with data. */
export interface Series {
  readonly key: readonly string[];
  readonly values: ReadonlyMap<number, number>;
}

/** A stable text of a series key, for maps. */
export function seriesId(key: readonly string[]): string {
  return JSON.stringify(key);
}

/**
 * The mean of the target per series and step, from rows in any order; rows whose time or value is not
 * finite are ignored. Sums run in a fixed order (key, time, value), so the means — and every model
 * built on them — do not depend on the order the rows came in. Series come sorted by key.
 */
export function bucketSeries(rows: Iterable<SeriesRow>, grid: StepGrid): Series[] {
  const sorted = [...rows]
    .filter((r) => Number.isFinite(r.time) && Number.isFinite(r.value))
    .map((r) => ({ id: seriesId(r.key), row: r }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.row.time - b.row.time || a.row.value - b.row.value));
  const sums = new Map<string, { key: readonly string[]; buckets: Map<number, { sum: number; count: number }> }>();
  for (const { id, row } of sorted) {
    let entry = sums.get(id);
    if (entry === undefined) {
      entry = { key: row.key, buckets: new Map() };
      sums.set(id, entry);
    }
    const index = grid.index(row.time);
    const bucket = entry.buckets.get(index) ?? { sum: 0, count: 0 };
    bucket.sum += row.value;
    bucket.count += 1;
    entry.buckets.set(index, bucket);
  }
  return [...sums.values()].map((e) => ({ key: e.key, values: new Map([...e.buckets].map(([i, b]) => [i, b.sum / b.count])) }));
}
