import { artifactFeatureSource } from './artifact-feature-source';
import { featuresFor, FORECAST_STEPS } from './features';
import { buildInferenceRecords, originQuarterOf, type InferenceRecord } from './inference-record';
import { linearForecast } from './linear-forecast';
import type { TrafficSpeedModel } from './model-artifact';
import { QUARTER_MS, QuarterSeries, type SpeedReading } from './quarter-series';

/** One forecast step of one output line. */
export interface StepForecast {
  readonly step: number;
  /** Start of the forecast quarter hour (ISO-8601 UTC). */
  readonly targetTime: string;
  /** Forecast mean speed over that quarter hour, km/h. */
  readonly predictedSpeed: number;
}

/** One batch-transform output line: the record's key, the model version and its (0 or 4) steps. */
export interface InferenceOutput {
  readonly sensor: string;
  readonly originHour: string;
  readonly modelVersion: string;
  readonly forecasts: readonly StepForecast[];
}

/** One row of the forecast table. */
export interface ForecastRow {
  readonly sensor: string;
  readonly originHour: string;
  readonly targetTime: string;
  readonly step: number;
  readonly predictedSpeed: number;
  readonly modelVersion: string;
}

/**
 * Forecasts the four quarter hours after a record's origin hour. The single inference path: the
 * local batch-transform runner, the SageMaker container and `predict` all call it. No steps when
 * the record has no reading in its origin hour.
 */
export function predictRecord(artifact: TrafficSpeedModel, record: InferenceRecord): InferenceOutput {
  const series = new QuarterSeries(record.history.map((h) => ({ sensor: record.sensor, time: h.t, speed: h.speed })));
  const source = artifactFeatureSource(artifact, series);
  const origin = originQuarterOf(record);
  const forecasts: StepForecast[] = [];
  for (let step = 1; step <= FORECAST_STEPS; step += 1) {
    const features = featuresFor(source, record.sensor, origin, step);
    if (features === undefined) break;
    forecasts.push({
      step,
      targetTime: new Date((origin + 3 + step) * QUARTER_MS).toISOString(),
      predictedSpeed: linearForecast(artifact.coefficients[step - 1] ?? [], features.vector),
    });
  }
  return { sensor: record.sensor, originHour: record.originHour, modelVersion: artifact.version, forecasts };
}

/**
 * Forecast rows for rolling origins over refined readings: one forecast (four steps) per origin hour
 * and sensor with data in that hour, ordered by origin, sensor, step. Deterministic in its inputs.
 */
export function predict(artifact: TrafficSpeedModel, readings: Iterable<SpeedReading>, originHours: readonly string[]): ForecastRow[] {
  return buildInferenceRecords(readings, originHours).flatMap((record) => {
    const output = predictRecord(artifact, record);
    return output.forecasts.map((f) => ({
      sensor: output.sensor,
      originHour: output.originHour,
      targetTime: f.targetTime,
      step: f.step,
      predictedSpeed: f.predictedSpeed,
      modelVersion: output.modelVersion,
    }));
  });
}
