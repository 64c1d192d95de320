import { QUARTERS_PER_DAY, slotOf, type QuarterSeries } from './quarter-series';

/**
 * Each sensor's usual speed per quarter-hour slot of the day: the mean over days of that slot's
 * quarter mean, from quarters before `beforeQuarter` only. `valueExcludingDay` leaves one day out,
 * so a training example never sees its own target through the profile.
 */
export class SeasonalProfile {
  private readonly byDay = new Map<string, Map<number, number>[]>();

  /** Collects the quarter means of every sensor before `beforeQuarter`. */
  constructor(series: QuarterSeries, beforeQuarter: number) {
    for (const sensor of series.sensors()) {
      const slots = Array.from({ length: QUARTERS_PER_DAY }, () => new Map<number, number>());
      for (const quarter of series.quarters(sensor)) {
        const mean = series.mean(sensor, quarter);
        if (quarter >= beforeQuarter || mean === undefined) continue;
        slots[slotOf(quarter)]?.set(Math.floor(quarter / QUARTERS_PER_DAY), mean);
      }
      this.byDay.set(sensor, slots);
    }
  }

  /** The profile value of the slot of `quarter` leaving out the day of `quarter`, or undefined. */
  valueExcludingDay(sensor: string, quarter: number): number | undefined {
    return this.slotMean(sensor, slotOf(quarter), Math.floor(quarter / QUARTERS_PER_DAY));
  }

  private slotMean(sensor: string, slot: number, excludedDay: number | undefined): number | undefined {
    const days = this.byDay.get(sensor)?.[slot];
    if (days === undefined) return undefined;
    let sum = 0;
    let count = 0;
    for (const [day, mean] of [...days].sort(([a], [b]) => a - b)) {
      if (day === excludedDay) continue;
      sum += mean;
      count += 1;
    }
    return count === 0 ? undefined : sum / count;
  }

  /** The 96 slot values of every sensor (null where a slot has no data), rounded to 0.001 km/h. */
  toJson(): Record<string, (number | null)[]> {
    const out: Record<string, (number | null)[]> = {};
    for (const sensor of [...this.byDay.keys()].sort()) {
      out[sensor] = Array.from({ length: QUARTERS_PER_DAY }, (_, slot) => {
        const value = this.slotMean(sensor, slot, undefined);
        return value === undefined ? null : Math.round(value * 1000) / 1000;
      });
    }
    return out;
  }
}
