import { featuresFor, FEATURE_NAMES, FORECAST_STEPS, type FeatureSource } from './features';
import { InsufficientTrainingDataError } from './forecast-model-error';
import { fitRidge } from './ridge';
import { linearForecast } from './linear-forecast';
import { modelVersionOf, TRAFFIC_SPEED_MODEL, type TrafficSpeedModel, type UnversionedModel } from './model-artifact';
import { artifactFeatureSource } from './artifact-feature-source';
import { QUARTER_MS, QuarterSeries, type SpeedReading } from './quarter-series';
import { SeasonalProfile } from './seasonal-profile';
import { evaluateHeldOut } from './evaluate-held-out';

/** Training options: the last `heldOutHours` of data are kept out of fitting and used to measure MAE. */
export interface TrainOptions {
  readonly heldOutHours: number;
  /** Ridge penalty on the non-intercept coefficients. Default 10. */
  readonly lambda?: number;
}

/** A trained model and its held-out figures (also recorded in the artifact). */
export interface TrainResult {
  readonly artifact: TrafficSpeedModel;
  readonly metrics: TrafficSpeedModel['metrics'];
}

/**
 * Trains the traffic-speed model from refined readings (any order): a seasonal profile per sensor
 * and 15-minute slot from the training period, and per forecast step a ridge regression over
 * FEATURE_NAMES fitted on every rolling origin whose targets lie before the held-out period. Then
 * evaluates on the held-out hours next to the last-value and same-slot-yesterday baselines.
 * A pure function of the set of readings and the options: same data, same artifact and version.
 */
export function train(readings: Iterable<SpeedReading>, options: TrainOptions): TrainResult {
  if (!Number.isInteger(options.heldOutHours) || options.heldOutHours < 1) {
    throw new RangeError(`heldOutHours must be a whole number ≥ 1, got ${options.heldOutHours}`);
  }
  const series = new QuarterSeries(readings);
  const quarters = series.sensors().flatMap((s) => series.quarters(s));
  if (quarters.length === 0) throw new InsufficientTrainingDataError('no readings to train on');
  const firstHour = Math.floor(Math.min(...quarters) / 4) * 4;
  const endHour = (Math.floor(Math.max(...quarters) / 4) + 1) * 4;
  const heldOutFrom = endHour - options.heldOutHours * 4;
  if (heldOutFrom - firstHour < 8) {
    throw new InsufficientTrainingDataError(`need at least 2 hours of training data before the ${options.heldOutHours} held-out hours`);
  }
  const profile = new SeasonalProfile(series, heldOutFrom);
  const leaveOneDayOut: FeatureSource = { series, profile: (sensor, q) => profile.valueExcludingDay(sensor, q) };
  const coefficients: number[][] = [];
  let trainingRows = 0;
  for (let step = 1; step <= FORECAST_STEPS; step += 1) {
    const xs: number[][] = [];
    const ys: number[] = [];
    for (let origin = firstHour; origin + 8 <= heldOutFrom; origin += 4) {
      for (const sensor of series.sensors()) {
        const features = featuresFor(leaveOneDayOut, sensor, origin, step);
        const actual = series.mean(sensor, origin + 3 + step);
        if (features === undefined || actual === undefined) continue;
        xs.push(features.vector);
        ys.push(actual);
      }
    }
    if (xs.length < 2 * (FEATURE_NAMES.length + 1)) throw new InsufficientTrainingDataError(`only ${xs.length} training examples for step ${step}`);
    coefficients.push(fitRidge(xs, ys, options.lambda ?? 10).map((c) => Number(c.toPrecision(12))));
    trainingRows += xs.length;
  }
  const draft = { coefficients, profiles: profile.toJson() };
  const measured = evaluateHeldOut(series, artifactFeatureSource(draft, series), coefficients, heldOutFrom, endHour, linearForecast);
  const content: UnversionedModel = {
    name: TRAFFIC_SPEED_MODEL,
    trainedAt: new Date(heldOutFrom * QUARTER_MS).toISOString(),
    features: ['intercept', ...FEATURE_NAMES],
    stepMinutes: 15,
    lookbackHours: 25,
    coefficients,
    profiles: draft.profiles,
    metrics: { ...measured, trainingRows, heldOutFrom: new Date(heldOutFrom * QUARTER_MS).toISOString() },
  };
  const { name, ...rest } = content;
  const artifact = { name, version: modelVersionOf(content), ...rest };
  return { artifact, metrics: artifact.metrics };
}
