import { forecastStep, type Forecaster, type ModelName } from './forecast-models';
import { originInputs } from './origin-inputs';
import type { Series } from './series-set';
import type { StepGrid } from './step-grid';
import type { SeriesSpec } from './series-spec';

/** One candidate's backtest score: MAE in the target's units, MASE scaled by the in-sample seasonal-naive MAE (null when that is 0). */
export interface BacktestScore {
  readonly model: ModelName;
  readonly mae: number;
  readonly mase: number | null;
}

/** A rolling-origin backtest: its size, the MASE scale and each candidate's score (same forecasts for all). */
export interface BacktestResult {
  readonly origins: number;
  readonly forecasts: number;
  readonly scale: number;
  readonly scores: BacktestScore[];
}

/**
 * The in-sample one-step seasonal-naive MAE over steps before `before`, pooled over series: the MASE
 * scale. Undefined when no step has a value one season earlier.
 */
export function seasonalNaiveScale(series: readonly Series[], season: number, before: number): number | undefined {
  let sum = 0;
  let count = 0;
  for (const s of series) {
    for (const [index, value] of s.values) {
      const earlier = s.values.get(index - season);
      if (index >= before || earlier === undefined) continue;
      sum += Math.abs(value - earlier);
      count += 1;
    }
  }
  return count === 0 ? undefined : sum / count;
}

/**
 * Scores each forecaster on every origin from `testStart - 1` on (every step of every series with data
 * there) against the actual value of each step ahead within the horizon that lies in the test period:
 * a rolling origin over the most recent history, where a forecast reads only steps up to its origin.
 * The forecasters must have been fitted on targets before `testStart` only.
 */
export function backtest(series: readonly Series[], spec: SeriesSpec, grid: StepGrid, forecasters: readonly Forecaster[], testStart: number, scale: number): BacktestResult {
  const errors = forecasters.map(() => 0);
  let forecasts = 0;
  const origins = new Set<number>();
  for (const s of series) {
    const valueAt = (i: number): number | undefined => s.values.get(i);
    for (const origin of [...s.values.keys()].filter((i) => i >= testStart - 1).sort((a, b) => a - b)) {
      const inputs = originInputs(valueAt, origin, spec.season);
      if (inputs === undefined) continue;
      for (let step = 1; step <= spec.horizon; step += 1) {
        const actual = s.values.get(origin + step);
        if (actual === undefined) continue;
        origins.add(origin);
        forecasters.forEach((f, i) => {
          errors[i] = (errors[i] ?? 0) + Math.abs(forecastStep(f, inputs, step, grid).prediction - actual);
        });
        forecasts += 1;
      }
    }
  }
  const scores = forecasters.map((f, i) => {
    const mae = forecasts === 0 ? 0 : (errors[i] ?? 0) / forecasts;
    return { model: f.model, mae: round(mae), mase: scale > 0 ? round(mae / scale) : null };
  });
  return { origins: origins.size, forecasts, scale: round(scale), scores };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
