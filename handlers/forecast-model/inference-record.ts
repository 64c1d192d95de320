import { z } from 'zod';
import { eventTimeMs, QUARTER_MS, type SpeedReading } from './quarter-series';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * One batch-transform input line: a sensor, the origin hour (ISO-8601 UTC, whole hour), and the
 * readings the forecast needs — the origin hour itself and the hour 24 h before the forecast hour.
 * Self-contained, so a runner that splits files by line can send any line anywhere.
 */
export const InferenceRecordSchema = z.strictObject({
  sensor: z.string().min(1),
  originHour: z.string().refine((t) => eventTimeMs(t) % HOUR_MS === 0, 'expected an ISO-8601 UTC time on a whole hour'),
  history: z.array(z.strictObject({ t: z.union([z.string(), z.number()]), speed: z.number() })),
});

/** A parsed inference record. */
export type InferenceRecord = z.infer<typeof InferenceRecordSchema>;

/**
 * The inference records for rolling origins: for each origin hour (deduplicated, ascending) and each
 * sensor (ascending) with at least one reading in that hour, its readings of the origin hour and of
 * the hour one day before the forecast hour, ordered by time then speed.
 */
export function buildInferenceRecords(readings: Iterable<SpeedReading>, originHours: readonly string[]): InferenceRecord[] {
  const byHour = new Map<string, { ms: number; speed: number }[]>();
  for (const r of readings) {
    const ms = eventTimeMs(r.time);
    if (!Number.isFinite(ms) || !Number.isFinite(r.speed)) continue;
    const key = `${r.sensor}\u0000${Math.floor(ms / HOUR_MS)}`;
    const list = byHour.get(key);
    if (list === undefined) byHour.set(key, [{ ms, speed: r.speed }]);
    else list.push({ ms, speed: r.speed });
  }
  const sensors = [...new Set([...byHour.keys()].map((k) => k.split('\u0000')[0] ?? ''))].sort();
  for (const o of originHours) {
    if (eventTimeMs(o) % HOUR_MS !== 0) throw new RangeError(`origin hour must be an ISO-8601 UTC time on a whole hour, got ${JSON.stringify(o)}`);
  }
  const origins = [...new Set(originHours.map(eventTimeMs))].sort((a, b) => a - b);
  const records: InferenceRecord[] = [];
  for (const origin of origins) {
    for (const sensor of sensors) {
      const own = byHour.get(`${sensor}\u0000${origin / HOUR_MS}`);
      if (own === undefined) continue;
      const dayBefore = byHour.get(`${sensor}\u0000${(origin + HOUR_MS - DAY_MS) / HOUR_MS}`) ?? [];
      const history = [...dayBefore, ...own]
        .sort((a, b) => a.ms - b.ms || a.speed - b.speed)
        .map((h) => ({ t: new Date(h.ms).toISOString(), speed: h.speed }));
      records.push({ sensor, originHour: new Date(origin).toISOString(), history });
    }
  }
  return records;
}

/** The first quarter index of a record's origin hour. */
export function originQuarterOf(record: InferenceRecord): number {
  return eventTimeMs(record.originHour) / QUARTER_MS;
}
