import { forecastStep, type Forecaster, type ModelName } from './forecast-models';
import type { InferenceRecord } from './inference-record';
import { UNTRAINED_VERSION, type ForecastModelArtifact } from './model-artifact';
import { originInputs } from './origin-inputs';
import { StepGrid } from './step-grid';

/** One forecast step of one output line. */
export interface StepForecast {
  readonly step: number;
  /** Start of the forecast step (ISO-8601 UTC). */
  readonly targetTime: string;
  readonly prediction: number;
  /** The model that made this step (seasonal-naive says last-value where the season-ago value is missing). */
  readonly model: ModelName;
}

/** One batch-transform output line: the record's series and origin, the model and version used, and its steps. */
export interface InferenceOutput {
  readonly series: readonly string[];
  readonly origin: string;
  readonly model: ModelName;
  readonly modelVersion: string;
  readonly forecasts: readonly StepForecast[];
}

/** The seasonal-naive forecaster used without a trained artifact. */
const UNTRAINED: Forecaster = { model: 'seasonal-naive', coefficients: [] };

/**
 * Forecasts the `horizon` steps after a record's origin. The single inference path: the local
 * batch-transform runner and the SageMaker container both call it, for every dataset. Without an
 * artifact, or with one of another dataset or trained for other settings (step, horizon or season changed since),
 * it forecasts with seasonal-naive and says so (`model`, version `untrained`). No steps when the
 * origin step has no value in the history.
 */
export function predictRecord(artifact: ForecastModelArtifact | undefined, record: InferenceRecord): InferenceOutput {
  const grid = new StepGrid(record.every);
  const fits = artifact !== undefined && artifact.dataset === record.dataset && artifact.every === record.every && artifact.horizon === record.horizon && artifact.season === record.season;
  const forecaster: Forecaster = fits ? artifact : UNTRAINED;
  const values = new Map(record.history.map((h) => [grid.index(Date.parse(h.t)), h.value]));
  const origin = grid.index(Date.parse(record.origin));
  const inputs = originInputs((i) => values.get(i), origin, record.season);
  const forecasts: StepForecast[] = [];
  for (let step = 1; inputs !== undefined && step <= record.horizon; step += 1) {
    const made = forecastStep(forecaster, inputs, step, grid);
    forecasts.push({ step, targetTime: new Date(grid.start(origin + step)).toISOString(), prediction: made.prediction, model: made.model });
  }
  return { series: record.series, origin: record.origin, model: forecaster.model, modelVersion: fits ? artifact.version : UNTRAINED_VERSION, forecasts };
}
