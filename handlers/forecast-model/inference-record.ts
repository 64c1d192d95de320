import { z } from 'zod';
import type { SeriesRow } from './series-set';
import { seriesId } from './series-set';
import { lookbackSteps, type SeriesSpec } from './series-spec';
import { EVERY_PATTERN, StepGrid } from './step-grid';

const IsoTimeSchema = z.string().refine((t) => Number.isFinite(Date.parse(t)), 'expected an ISO-8601 time');

/**
 * One batch-transform input line: the dataset, a series (its group-by values in order), its origin (the start of
 * the last step with data), the series settings, and the step means the models read (one season
 * before the origin up to it). Self-contained, so a runner that splits files by line can send any
 * line anywhere, and a model without an artifact (seasonal-naive) knows the step and season.
 */
export const InferenceRecordSchema = z.strictObject({
  dataset: z.string().min(1),
  series: z.array(z.string()),
  origin: IsoTimeSchema,
  every: z.string().regex(EVERY_PATTERN),
  horizon: z.number().int().positive().max(10_000),
  season: z.number().int().positive().max(100_000),
  history: z.array(z.strictObject({ t: IsoTimeSchema, value: z.number().refine(Number.isFinite, 'expected a finite number') })),
});

/** A parsed inference record. */
export type InferenceRecord = z.infer<typeof InferenceRecordSchema>;

/** An origin partition of the forecast: its start and end (epoch ms); an origin reads data before its end only. */
export interface OriginWindow {
  readonly start: number;
  readonly end: number;
}

/**
 * The inference records for rolling origins (a row may stand for several readings: its `count`): for each origin partition (ascending) and each series
 * (ascending) with data in it, the origin is the last step with data that starts in the partition (so
 * the origin's partition is the one holding its start), and the history
 * holds the step means from `lookbackSteps` before it, computed from rows before the partition's end
 * only — so a record is a function of the partitions its origin reads, and nothing later.
 */
export function buildInferenceRecords(dataset: string, rows: Iterable<SeriesRow>, spec: SeriesSpec, windows: readonly OriginWindow[]): InferenceRecord[] {
  const grid = new StepGrid(spec.every);
  const bySeries = new Map<string, { key: readonly string[]; points: { time: number; value: number; count: number }[] }>();
  for (const r of rows) {
    const count = r.count ?? 1;
    if (!Number.isFinite(r.time) || !Number.isFinite(r.value) || !(count > 0)) continue;
    const id = seriesId(r.key);
    const entry = bySeries.get(id) ?? { key: r.key, points: [] };
    entry.points.push({ time: r.time, value: r.value, count });
    bySeries.set(id, entry);
  }
  const series = [...bySeries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => ({ key: e.key, points: e.points.sort((a, b) => a.time - b.time || a.value - b.value) }));
  const records: InferenceRecord[] = [];
  const lookback = lookbackSteps(spec);
  // Every series has the same step starts: each one's text is made once.
  const isoTimes = new Map<number, string>();
  const isoOf = (ms: number): string => {
    let text = isoTimes.get(ms);
    if (text === undefined) isoTimes.set(ms, (text = new Date(ms).toISOString()));
    return text;
  };
  for (const window of [...windows].sort((a, b) => a.start - b.start)) {
    for (const s of series) {
      const lastIn = lastBefore(s.points, window.end);
      const point = s.points[lastIn];
      if (point === undefined) continue;
      const origin = grid.index(point.time);
      if (grid.start(origin) < window.start) continue;
      const history: { t: string; value: number }[] = [];
      // The steps are consecutive, so one pass over the points from the first step's start sums them all.
      let p = lastBefore(s.points, grid.start(origin - lookback)) + 1;
      for (let i = origin - lookback; i <= origin; i += 1) {
        const from = grid.start(i);
        const to = Math.min(grid.start(i + 1), window.end);
        let sum = 0;
        let count = 0;
        for (; p < s.points.length && (s.points[p]?.time ?? Infinity) < to; p += 1) {
          sum += s.points[p]?.value ?? 0;
          count += s.points[p]?.count ?? 1;
        }
        if (count > 0) history.push({ t: isoOf(from), value: sum / count });
      }
      records.push({ dataset, series: [...s.key], origin: new Date(grid.start(origin)).toISOString(), every: spec.every, horizon: spec.horizon, season: spec.season, history });
    }
  }
  return records;
}

/** The index of the last point before `time` (-1 when none), by binary search over points sorted by time. */
function lastBefore(points: readonly { time: number }[], time: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((points[mid]?.time ?? Infinity) < time) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
