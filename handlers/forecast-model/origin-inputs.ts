/** The value of a series at a step index, or undefined when the step has no data. */
export type ValueAt = (index: number) => number | undefined;

/**
 * What every model reads at one origin (the last observed step), with fixed fallbacks so training,
 * backtest and inference agree: a missing earlier step falls back to the later one, a missing
 * seasonal value to the last value (and says so).
 */
export interface OriginInputs {
  readonly origin: number;
  readonly last: number;
  readonly previous: number;
  readonly beforePrevious: number;
  /** The value one season before the origin (last value when missing). */
  readonly seasonAgo: number;
  /** The mean over the last season of steps up to the origin (those with data). */
  readonly seasonMean: number;
  /** The seasonal-naive value for a step ahead, and whether it fell back to the last value. */
  seasonal(step: number): { readonly value: number; readonly fallback: boolean };
}

/** The inputs at `origin` for a season of `season` steps; undefined when the origin step has no data. */
export function originInputs(valueAt: ValueAt, origin: number, season: number): OriginInputs | undefined {
  const last = valueAt(origin);
  if (last === undefined) return undefined;
  const previous = valueAt(origin - 1) ?? last;
  const beforePrevious = valueAt(origin - 2) ?? previous;
  let sum = 0;
  let count = 0;
  for (let i = origin - season + 1; i <= origin; i += 1) {
    const v = valueAt(i);
    if (v !== undefined) {
      sum += v;
      count += 1;
    }
  }
  return {
    origin,
    last,
    previous,
    beforePrevious,
    seasonAgo: valueAt(origin - season) ?? last,
    seasonMean: count === 0 ? last : sum / count,
    seasonal: (step) => {
      const value = valueAt(origin + step - season * Math.ceil(step / season));
      return value === undefined ? { value: last, fallback: true } : { value, fallback: false };
    },
  };
}
