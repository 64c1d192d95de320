import { backtest, seasonalNaiveScale, type BacktestScore } from './backtest';
import { fitRidge } from './fit-ridge';
import { InsufficientTrainingDataError } from './forecast-model-error';
import { ModelNames, type Forecaster } from './forecast-models';
import { lagFeatureNames, lagFeatures } from './lag-features';
import { modelVersionOf, type ForecastModelArtifact, type UnversionedArtifact } from './model-artifact';
import { originInputs } from './origin-inputs';
import type { Series } from './series-set';
import { lookbackSteps, type SeriesSpec } from './series-spec';
import { StepGrid } from './step-grid';

/** Training options: the dataset, the share of the most recent steps backtested (default 0.2) and the ridge penalty (default 0.01). */
export interface TrainOptions {
  readonly dataset: string;
  readonly testFraction?: number;
  readonly lambda?: number;
}

/** The saved artifact and every candidate's backtest score (the learned model is absent when there were too few examples). */
export interface TrainResult {
  readonly artifact: ForecastModelArtifact;
  readonly scores: readonly BacktestScore[];
  /** Why a candidate was not scored, if one was not. */
  readonly skipped: readonly string[];
}

/**
 * Trains a dataset's forecast: seasonal-naive, last-value and ridge-lags (a ridge regression per step
 * on lags and calendar features, fitted on targets before the backtest period only) are scored by a
 * rolling-origin backtest over the last `testFraction` of the steps; the one with the lowest MAE
 * (the simpler on a tie) is saved, ridge-lags refitted on all the history. A pure function of the
 * series and the options: same data, same artifact and version.
 */
export function trainForecast(series: readonly Series[], spec: SeriesSpec, options: TrainOptions): TrainResult {
  const grid = new StepGrid(spec.every);
  const testFraction = options.testFraction ?? 0.2;
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`testFraction must be between 0 and 1, got ${testFraction}`);
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    for (const index of s.values.keys()) {
      first = Math.min(first, index);
      last = Math.max(last, index);
    }
  }
  if (!Number.isFinite(first)) throw new InsufficientTrainingDataError('no rows to train on');
  const testStart = last + 1 - Math.max(spec.horizon, Math.ceil((last - first + 1) * testFraction));
  const scale = seasonalNaiveScale(series, spec.season, testStart);
  if (testStart - first <= lookbackSteps(spec) || scale === undefined) {
    throw new InsufficientTrainingDataError(`need more than one season (${spec.season} steps of ${spec.every}) of history before the backtest period; the data spans ${last - first + 1} steps`);
  }
  const lambda = options.lambda ?? 0.01;
  const candidates: Forecaster[] = [{ model: 'seasonal-naive', coefficients: [] }, { model: 'last-value', coefficients: [] }];
  const skipped: string[] = [];
  const fitted = fitPerStep(series, spec, grid, testStart, lambda);
  if (typeof fitted === 'string') skipped.push(`ridge-lags: ${fitted}`);
  else candidates.push({ model: 'ridge-lags', coefficients: fitted.coefficients });
  const result = backtest(series, spec, grid, candidates, testStart, scale);
  const best = [...result.scores].sort((a, b) => a.mae - b.mae || ModelNames.indexOf(a.model) - ModelNames.indexOf(b.model))[0];
  const chosen = best?.model ?? 'seasonal-naive';
  const final = chosen === 'ridge-lags' ? fitPerStep(series, spec, grid, Number.POSITIVE_INFINITY, lambda) : undefined;
  const content: UnversionedArtifact = {
    dataset: options.dataset,
    model: chosen,
    trainedAt: new Date(grid.start(last + 1)).toISOString(),
    every: spec.every,
    horizon: spec.horizon,
    season: spec.season,
    features: chosen === 'ridge-lags' ? lagFeatureNames(grid) : [],
    coefficients: typeof final === 'object' ? final.coefficients : [],
    trainingRows: typeof final === 'object' ? final.rows : 0,
    backtest: { from: new Date(grid.start(testStart)).toISOString(), origins: result.origins, forecasts: result.forecasts, scale: result.scale, scores: result.scores },
  };
  return { artifact: { ...content, version: modelVersionOf(content) }, scores: result.scores, skipped };
}

/** Per step, the ridge coefficients fitted on every origin whose target lies before `before`; a reason when there are too few examples. */
function fitPerStep(series: readonly Series[], spec: SeriesSpec, grid: StepGrid, before: number, lambda: number): { coefficients: number[][]; rows: number } | string {
  const width = lagFeatureNames(grid).length;
  const coefficients: number[][] = [];
  let rows = 0;
  for (let step = 1; step <= spec.horizon; step += 1) {
    const xs: number[][] = [];
    const ys: number[] = [];
    for (const s of series) {
      const valueAt = (i: number): number | undefined => s.values.get(i);
      for (const origin of [...s.values.keys()].sort((a, b) => a - b)) {
        const actual = s.values.get(origin + step);
        if (actual === undefined || origin + step >= before || !s.values.has(origin - spec.season)) continue;
        const inputs = originInputs(valueAt, origin, spec.season);
        if (inputs === undefined) continue;
        xs.push(lagFeatures(inputs, step, grid));
        ys.push(actual - inputs.last);
      }
    }
    if (xs.length < 4 * width) return `only ${xs.length} training examples for step ${step} (needs ${4 * width})`;
    coefficients.push(fitRidge(xs, ys, lambda).map((c) => Number(c.toPrecision(12))));
    rows += xs.length;
  }
  return { coefficients, rows };
}
