const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05, the first Monday after the epoch: weeks start on Monday (ISO 8601). */
const FIRST_MONDAY_MS = 4 * DAY_MS;

/** A forecast step duration as the manifest writes it: `<count><unit>` with unit m, h, d, w or mo. */
export const EVERY_PATTERN = /^([1-9][0-9]*)(m|h|d|w|mo)$/;

/** The unit of a step duration. */
export type StepUnit = 'm' | 'h' | 'd' | 'w' | 'mo';

const UNIT_MS = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS, w: WEEK_MS } as const;

/**
 * The calendar grid of a series at one step duration (`15m`, `1h`, `1d`, `1w`, `1mo`): bucket
 * indices of instants and bucket starts, all in UTC. Minute, hour and day buckets are aligned to the
 * epoch (so `15m` buckets start on the quarter hour), weeks start on Monday, months on the 1st.
 */
export class StepGrid {
  /** The duration text, e.g. `15m`. */
  readonly every: string;
  readonly count: number;
  readonly unit: StepUnit;

  constructor(every: string) {
    const match = EVERY_PATTERN.exec(every);
    if (match === null) throw new RangeError(`forecast step must look like 15m, 1h, 1d, 1w or 1mo, got ${JSON.stringify(every)}`);
    this.every = every;
    this.count = Number(match[1]);
    this.unit = unitOf(match[2] ?? '');
  }

  /** The index of the bucket holding an instant (epoch milliseconds). */
  index(ms: number): number {
    if (this.unit === 'mo') {
      const d = new Date(ms);
      return Math.floor((d.getUTCFullYear() * 12 + d.getUTCMonth()) / this.count);
    }
    const offset = this.unit === 'w' ? FIRST_MONDAY_MS : 0;
    return Math.floor((ms - offset) / (this.count * UNIT_MS[this.unit]));
  }

  /** The start (epoch milliseconds) of a bucket. */
  start(index: number): number {
    if (this.unit === 'mo') {
      const month = index * this.count;
      return Date.UTC(Math.floor(month / 12), ((month % 12) + 12) % 12, 1);
    }
    const offset = this.unit === 'w' ? FIRST_MONDAY_MS : 0;
    return offset + index * this.count * UNIT_MS[this.unit];
  }

  /**
   * The season in steps when the manifest declares none: a day for steps under a day (96 for 15m,
   * 24 for 1h), a week for days (7), a year for weeks (52) and months (12); 1 (no season) when the
   * step does not divide that period.
   */
  defaultSeason(): number {
    const period = this.unit === 'mo' ? 12 : this.unit === 'w' ? 52 : this.unit === 'd' ? 7 : DAY_MS / UNIT_MS[this.unit];
    const season = period / this.count;
    return Number.isInteger(season) && season > 1 ? season : 1;
  }

  /**
   * Calendar phases of a bucket's start in [0, 1): the position in the day and the week for steps
   * under a day, in the week and the year for days, in the year for weeks and months. The learned
   * model reads their sine and cosine.
   */
  phases(index: number): number[] {
    const ms = this.start(index);
    const day = (((ms % DAY_MS) + DAY_MS) % DAY_MS) / DAY_MS;
    const week = ((((Math.floor(ms / DAY_MS) + 3) % 7) + 7) % 7) / 7;
    const date = new Date(ms);
    const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
    const year = (ms - yearStart) / (Date.UTC(date.getUTCFullYear() + 1, 0, 1) - yearStart);
    if (this.unit === 'm' || this.unit === 'h') return [day, week];
    if (this.unit === 'd') return [week, year];
    return [year];
  }
}

function unitOf(text: string): StepUnit {
  if (text === 'm' || text === 'h' || text === 'd' || text === 'w' || text === 'mo') return text;
  throw new RangeError(`unknown step unit ${JSON.stringify(text)}`);
}
