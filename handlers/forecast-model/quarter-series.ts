/** One speed reading: the sensor, its event time (ISO-8601 text or epoch milliseconds) and speed in km/h. */
export interface SpeedReading {
  readonly sensor: string;
  readonly time: string | number;
  readonly speed: number;
}

/** Length of one forecast step and series bucket: 15 minutes. */
export const QUARTER_MS = 900_000;
/** Quarters per day, the number of profile slots. */
export const QUARTERS_PER_DAY = 96;

/**
 * Epoch milliseconds of an event time: a number is taken as is; text is ISO-8601, and text without a
 * zone (`2026-01-05 10:00:00`, as Athena and DuckDB print a timestamp) is UTC — never the machine's
 * local zone. NaN when it does not parse.
 */
export function eventTimeMs(time: string | number): number {
  if (typeof time === 'number') return time;
  const naive = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/.exec(time.trim());
  return naive === null ? Date.parse(time) : Date.parse(`${naive[1] ?? ''}T${naive[2] ?? ''}Z`);
}

/** The slot of the day (0..95, UTC) of a quarter index. */
export function slotOf(quarter: number): number {
  return ((quarter % QUARTERS_PER_DAY) + QUARTERS_PER_DAY) % QUARTERS_PER_DAY;
}

/**
 * Mean speed per sensor and quarter hour, built from readings in any order. Sums are accumulated per
 * bucket in a fixed order (readings sorted by sensor, time, speed first), so the means — and every
 * model built on them — are the same whatever order the rows arrived in.
 */
export class QuarterSeries {
  private readonly buckets = new Map<string, Map<number, { sum: number; count: number }>>();

  /** Buckets the readings; readings whose time does not parse or whose speed is not finite are ignored. */
  constructor(readings: Iterable<SpeedReading>) {
    const sorted = [...readings]
      .map((r) => ({ sensor: r.sensor, ms: eventTimeMs(r.time), speed: r.speed }))
      .filter((r) => Number.isFinite(r.ms) && Number.isFinite(r.speed))
      .sort((a, b) => (a.sensor < b.sensor ? -1 : a.sensor > b.sensor ? 1 : a.ms - b.ms || a.speed - b.speed));
    for (const r of sorted) {
      let sensor = this.buckets.get(r.sensor);
      if (sensor === undefined) {
        sensor = new Map();
        this.buckets.set(r.sensor, sensor);
      }
      const quarter = Math.floor(r.ms / QUARTER_MS);
      const bucket = sensor.get(quarter) ?? { sum: 0, count: 0 };
      bucket.sum += r.speed;
      bucket.count += 1;
      sensor.set(quarter, bucket);
    }
  }

  /** The sensors present, sorted. */
  sensors(): string[] {
    return [...this.buckets.keys()].sort();
  }

  /** The quarters of a sensor that have readings, ascending. */
  quarters(sensor: string): number[] {
    return [...(this.buckets.get(sensor)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /** Mean speed of a sensor in one quarter, or undefined without readings. */
  mean(sensor: string, quarter: number): number | undefined {
    const bucket = this.buckets.get(sensor)?.get(quarter);
    return bucket === undefined ? undefined : bucket.sum / bucket.count;
  }

  /** Mean speed of a sensor over quarters [from, to), pooled over readings, or undefined without any. */
  rangeMean(sensor: string, from: number, to: number): number | undefined {
    let sum = 0;
    let count = 0;
    for (let q = from; q < to; q += 1) {
      const bucket = this.buckets.get(sensor)?.get(q);
      if (bucket !== undefined) {
        sum += bucket.sum;
        count += bucket.count;
      }
    }
    return count === 0 ? undefined : sum / count;
  }
}
