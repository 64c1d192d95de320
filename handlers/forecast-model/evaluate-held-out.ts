import { featuresFor, FORECAST_STEPS, type FeatureSource } from './features';
import type { QuarterSeries } from './quarter-series';

/** MAE (km/h) of the model and of both baselines over the same held-out forecasts. */
export interface HeldOutMetrics {
  readonly modelMae: number;
  readonly lastValueMae: number;
  readonly sameSlotYesterdayMae: number;
  readonly heldOutRows: number;
}

/**
 * Scores every rolling origin whose four targets fall in [heldOutFrom, endQuarter): the model
 * forecast against the last observed quarter mean (last value) and the same quarter 24 h earlier.
 * Only forecasts where the actual and both baselines exist count, so the three MAEs share rows.
 */
export function evaluateHeldOut(
  series: QuarterSeries,
  source: FeatureSource,
  coefficients: readonly (readonly number[])[],
  heldOutFrom: number,
  endQuarter: number,
  forecast: (coefficients: readonly number[], features: readonly number[]) => number,
): HeldOutMetrics {
  let model = 0;
  let lastValue = 0;
  let yesterday = 0;
  let rows = 0;
  for (let origin = heldOutFrom - 4; origin + 8 <= endQuarter; origin += 4) {
    for (const sensor of series.sensors()) {
      for (let step = 1; step <= FORECAST_STEPS; step += 1) {
        const features = featuresFor(source, sensor, origin, step);
        const actual = series.mean(sensor, origin + 3 + step);
        const last = features?.inputs.lastQuarter;
        const before = features?.inputs.sameSlotYesterday;
        if (features === undefined || actual === undefined || last === undefined || before === undefined) continue;
        model += Math.abs(forecast(coefficients[step - 1] ?? [], features.vector) - actual);
        lastValue += Math.abs(last - actual);
        yesterday += Math.abs(before - actual);
        rows += 1;
      }
    }
  }
  const mae = (sum: number): number => (rows === 0 ? 0 : Math.round((sum / rows) * 10_000) / 10_000);
  return { modelMae: mae(model), lastValueMae: mae(lastValue), sameSlotYesterdayMae: mae(yesterday), heldOutRows: rows };
}
