import { lagFeatures } from './lag-features';
import type { OriginInputs } from './origin-inputs';
import type { StepGrid } from './step-grid';

/** The candidate models, simplest first (a tie keeps the simpler one). */
export const ModelNames = ['seasonal-naive', 'last-value', 'ridge-lags'] as const;

/** A model's name as the forecast table's `model` column and the artifact name it. */
export type ModelName = (typeof ModelNames)[number];

/** One step's forecast and the model that made it (seasonal-naive says last-value where it fell back). */
export interface StepPrediction {
  readonly prediction: number;
  readonly model: ModelName;
}

/** A model ready to forecast: its name, and for the learned one its per-step coefficients. */
export interface Forecaster {
  readonly model: ModelName;
  /** Per step (index step - 1) the coefficients over `lagFeatureNames`; empty for the baselines. */
  readonly coefficients: readonly (readonly number[])[];
}

/**
 * One step ahead from an origin: seasonal-naive repeats the value one season before the target,
 * last-value the origin's value, ridge-lags adds its linear forecast of the change to the last value.
 * Rounded to 1e-6 so every caller — backtest, local runner, SageMaker container — writes the same number.
 */
export function forecastStep(forecaster: Forecaster, inputs: OriginInputs, step: number, grid: StepGrid): StepPrediction {
  if (forecaster.model === 'last-value') return { prediction: round(inputs.last), model: 'last-value' };
  if (forecaster.model === 'seasonal-naive') {
    const seasonal = inputs.seasonal(step);
    return { prediction: round(seasonal.value), model: seasonal.fallback ? 'last-value' : 'seasonal-naive' };
  }
  const coefficients = forecaster.coefficients[step - 1] ?? [];
  const features = lagFeatures(inputs, step, grid);
  let change = 0;
  for (let i = 0; i < coefficients.length; i += 1) change += (coefficients[i] ?? 0) * (features[i] ?? 0);
  return { prediction: round(inputs.last + change), model: 'ridge-lags' };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
