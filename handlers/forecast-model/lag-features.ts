import type { OriginInputs } from './origin-inputs';
import type { StepGrid } from './step-grid';

/**
 * The learned model's regressors for one step ahead, in coefficient order (after the intercept), all
 * relative to the last value so the model forecasts the change from it and its penalty shrinks
 * towards the last-value forecast: recent changes, the seasonal value of the target and of the origin,
 * the season's mean, then the sine and cosine of the target step's calendar phases.
 */
export function lagFeatureNames(grid: StepGrid): string[] {
  const calendar = grid.phases(0).flatMap((_, i) => [`sin${i}`, `cos${i}`]);
  return ['intercept', 'lastChange', 'previousChange', 'seasonalAtTarget', 'seasonAgo', 'seasonMean', ...calendar];
}

/** The feature vector (intercept first) of `inputs` for `step` ahead on `grid`; the target is `value - inputs.last`. */
export function lagFeatures(inputs: OriginInputs, step: number, grid: StepGrid): number[] {
  const calendar = grid.phases(inputs.origin + step).flatMap((p) => [Math.sin(2 * Math.PI * p), Math.cos(2 * Math.PI * p)]);
  return [
    1,
    inputs.last - inputs.previous,
    inputs.previous - inputs.beforePrevious,
    inputs.seasonal(step).value - inputs.last,
    inputs.seasonAgo - inputs.last,
    inputs.seasonMean - inputs.last,
    ...calendar,
  ];
}
