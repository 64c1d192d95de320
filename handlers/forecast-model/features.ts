import { QUARTERS_PER_DAY, type QuarterSeries } from './quarter-series';

/** Forecast steps per origin: the four quarters of the hour after the origin hour. */
export const FORECAST_STEPS = 4;

/** The regressors, in coefficient order (after the intercept). */
export const FEATURE_NAMES = ['lastQuarter', 'lastHour', 'sameSlotYesterday', 'profileAtTarget', 'profileAtLastQuarter'] as const;

/** Where features read from: the recent series and the seasonal profile (training or artifact). */
export interface FeatureSource {
  readonly series: QuarterSeries;
  /** The sensor's usual speed in the slot of `quarter`, or undefined when the model has none. */
  profile(sensor: string, quarter: number): number | undefined;
}

/** The raw inputs of one forecast before fallbacks: kept for the baselines. */
export interface FeatureInputs {
  readonly lastQuarter: number | undefined;
  readonly lastHour: number;
  readonly sameSlotYesterday: number | undefined;
}

/**
 * The feature vector [1, lastQuarter, lastHour, sameSlotYesterday, profileAtTarget,
 * profileAtLastQuarter] for one sensor, origin hour (its first quarter `originQuarter`) and step 1..4,
 * using only readings before the end of the origin hour (plus the same slot 24 h before the target).
 * Missing inputs fall back in a fixed chain (last quarter → last hour; yesterday → profile → last
 * hour; profile → yesterday → last hour) so training and inference agree. Undefined when the sensor
 * has no reading in the origin hour: there is nothing to forecast from.
 */
export function featuresFor(
  source: FeatureSource,
  sensor: string,
  originQuarter: number,
  step: number,
): { readonly vector: number[]; readonly inputs: FeatureInputs } | undefined {
  const end = originQuarter + 4;
  const lastHour = source.series.rangeMean(sensor, originQuarter, end);
  if (lastHour === undefined) return undefined;
  const target = end + step - 1;
  const lastQuarter = source.series.mean(sensor, end - 1);
  const sameSlotYesterday = source.series.mean(sensor, target - QUARTERS_PER_DAY);
  const profileAtTarget = source.profile(sensor, target) ?? sameSlotYesterday ?? lastHour;
  const lastQ = lastQuarter ?? lastHour;
  const profileAtLastQuarter = source.profile(sensor, end - 1) ?? lastQ;
  return {
    vector: [1, lastQ, lastHour, sameSlotYesterday ?? profileAtTarget, profileAtTarget, profileAtLastQuarter],
    inputs: { lastQuarter, lastHour, sameSlotYesterday },
  };
}
