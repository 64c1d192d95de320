import { PipelineError } from '../../../contracts/pipeline-error';
import { eventTimeMs } from '../../../handlers/forecast-model/event-time-ms';
import type { ForecastModelArtifact } from '../../../handlers/forecast-model/model-artifact';
import { bucketSeries, type Series, type SeriesRow } from '../../../handlers/forecast-model/series-set';
import { seriesSpecOf, type SeriesSpec } from '../../../handlers/forecast-model/series-spec';
import { StepGrid } from '../../../handlers/forecast-model/step-grid';
import type { Dataset } from '../../../handlers/ports/dataset-store';
import { sqlLiteral } from '../../../handlers/sql/bind-sql';
import { bindDatasetStatement } from '../../../handlers/stage-kit/dataset-sql';
import { forecastInputSource } from '../../../handlers/stage-kit/forecast-input-sql';
import { databaseOf } from '../../../handlers/stage-kit/naming';
import { localTopology } from '../../local/runtime/embedded-runtime';
import type { ResultRow } from './sql-read';

/** Runs read-only SQL and returns its rows (the read side's `query`). */
export type QueryRows = (sql: string) => Promise<readonly ResultRow[]>;

/** A dataset's refined history as the forecast reads it: its input rows and their series on the step grid. */
export interface ForecastHistory {
  readonly spec: SeriesSpec;
  readonly rows: readonly SeriesRow[];
  readonly series: readonly Series[];
}

function forecastSettings(dataset: Dataset): NonNullable<Dataset['manifest']['forecast']> {
  const settings = dataset.manifest.forecast;
  if (settings === undefined) throw new PipelineError(`dataset ${dataset.manifest.name} has no forecast settings in its manifest (forecast.target, groupBy, every, horizon)`, { retryable: false });
  return settings;
}

/** `WHERE` text keeping one series: each group-by column equal to its key value (quoted by the one helper). */
function seriesFilter(groupBy: readonly string[], key: readonly string[]): string {
  return groupBy.map((c, i) => `${sqlLiteral({ identifier: c.toLowerCase() })} = ${sqlLiteral(key[i] ?? '')}`).join(' AND ');
}

/**
 * Reads a dataset's whole refined history through its forecast input (the manifest's `inputSql`, or
 * the SQL generated from target, groupBy and every) and buckets it per series on the step grid, as
 * training and the forecast stage see it; only one series when `key` is given.
 */
export async function readForecastHistory(query: QueryRows, dataset: Dataset, key?: readonly string[]): Promise<ForecastHistory> {
  const settings = forecastSettings(dataset);
  const spec = seriesSpecOf(settings);
  const input = bindDatasetStatement(forecastInputSource(dataset, databaseOf(localTopology, 'refined')), localTopology, { window_start: '1970-01-01 00:00:00', window_end: '9999-12-31 00:00:00' });
  const sql = key === undefined ? input : `SELECT * FROM (${input}) AS history WHERE ${seriesFilter(settings.groupBy, key)}`;
  const groupBy = settings.groupBy.map((c) => c.toLowerCase());
  const rows = (await query(sql)).map((r) => ({ key: groupBy.map((c) => r[c] ?? ''), time: eventTimeMs(r['time'] ?? ''), value: Number(r['value'] ?? Number.NaN) }));
  return { spec, rows, series: bucketSeries(rows, new StepGrid(spec.every)) };
}

/** A point of a chart: a time (ISO-8601) and a value. */
export interface TimePoint {
  readonly time: string;
  readonly value: number;
}

/** A prediction: the target time, the predicted value, the origin it was made at and its step (1 … horizon). */
export interface PredictionPoint extends TimePoint {
  readonly origin: string;
  readonly step: number;
  readonly version: string;
}

/** The model that made a dataset's forecasts, with the backtest that chose it (absent for the untrained seasonal-naive). */
export interface ForecastModelInfo {
  readonly name: string;
  readonly version: string;
  readonly trainedAt?: string;
  readonly trainingRows?: number;
  readonly backtest?: ForecastModelArtifact['backtest'];
}

/** One series of a dataset's forecast against what happened, for the forecasts page. */
export interface ForecastView {
  readonly dataset: string;
  readonly target: string;
  readonly groupBy: readonly string[];
  readonly every: string;
  readonly horizon: number;
  /** Every series key that has predictions, sorted. */
  readonly seriesKeys: ReadonlyArray<readonly string[]>;
  readonly key: readonly string[];
  /** The mean target per step (what the model saw). */
  readonly actuals: readonly TimePoint[];
  /** Per target time, the prediction of the newest origin covering it (the shortest step). */
  readonly predictions: readonly PredictionPoint[];
  /** The newest origin's forecast: the horizon ahead of the newest data. */
  readonly latest?: { readonly origin: string; readonly from: string; readonly to: string };
  readonly model: ForecastModelInfo;
}

function modelInfo(artifact: ForecastModelArtifact | undefined, predictions: readonly ResultRow[]): ForecastModelInfo {
  const last = predictions[predictions.length - 1];
  const used = { name: last?.['model'] ?? 'seasonal-naive', version: last?.['model_version'] ?? 'untrained' };
  if (artifact === undefined || artifact.version !== used.version) return used;
  return { name: artifact.model, version: artifact.version, trainedAt: artifact.trainedAt, trainingRows: artifact.trainingRows, backtest: artifact.backtest };
}

/**
 * A dataset's forecast for one series (the first when `key` is absent): actuals from the refined
 * history, predictions from the forecast table, the newest origin's horizon, and the model with its
 * backtest figures (MAE and MASE per candidate) when the artifact that made the forecasts is at hand.
 */
export async function readForecastView(query: QueryRows, dataset: Dataset, artifact: ForecastModelArtifact | undefined, key?: readonly string[]): Promise<ForecastView> {
  const settings = forecastSettings(dataset);
  const groupBy = settings.groupBy.map((c) => c.toLowerCase());
  const table = `${sqlLiteral({ identifier: databaseOf(localTopology, 'forecast') })}.${sqlLiteral({ identifier: dataset.manifest.name })}`;
  const keyColumns = groupBy.map((c) => sqlLiteral({ identifier: c })).join(', ');
  const keys = (await query(`SELECT DISTINCT ${keyColumns} FROM ${table} ORDER BY ${keyColumns}`)).map((r) => groupBy.map((c) => r[c] ?? ''));
  const chosen = key ?? keys[0];
  if (chosen === undefined) throw new PipelineError(`dataset ${dataset.manifest.name} has no forecasts yet (${table} is empty)`, { retryable: false });
  if (chosen.length !== groupBy.length) throw new PipelineError(`a series of ${dataset.manifest.name} is named by ${groupBy.length} value(s) (${groupBy.join(', ')}), got ${chosen.length}`, { retryable: false });
  const rows = await query(`SELECT origin_time, target_time, step, prediction, model, model_version FROM ${table} WHERE ${seriesFilter(groupBy, chosen)} ORDER BY origin_time, step`);
  const byTarget = new Map<string, PredictionPoint>();
  for (const r of rows) {
    const point = { time: new Date(eventTimeMs(r['target_time'] ?? '')).toISOString(), value: Number(r['prediction']), origin: new Date(eventTimeMs(r['origin_time'] ?? '')).toISOString(), step: Number(r['step']), version: r['model_version'] ?? '' };
    const held = byTarget.get(point.time);
    if (held === undefined || point.step < held.step) byTarget.set(point.time, point);
  }
  const predictions = [...byTarget.values()].sort((a, b) => a.time.localeCompare(b.time));
  const history = await readForecastHistory(query, dataset, chosen);
  const grid = new StepGrid(history.spec.every);
  const series = history.series[0];
  const actuals = series === undefined ? [] : [...series.values].sort(([a], [b]) => a - b).map(([i, value]) => ({ time: new Date(grid.start(i)).toISOString(), value }));
  const newest = rows[rows.length - 1]?.['origin_time'];
  const latestRows = newest === undefined ? [] : rows.filter((r) => r['origin_time'] === newest);
  const targets = latestRows.map((r) => new Date(eventTimeMs(r['target_time'] ?? '')).toISOString()).sort();
  const first = targets[0];
  const lastTarget = targets[targets.length - 1];
  return {
    dataset: dataset.manifest.name,
    target: settings.target,
    groupBy,
    every: history.spec.every,
    horizon: history.spec.horizon,
    seriesKeys: keys,
    key: chosen,
    actuals,
    predictions,
    ...(newest !== undefined && first !== undefined && lastTarget !== undefined ? { latest: { origin: new Date(eventTimeMs(newest)).toISOString(), from: first, to: lastTarget } } : {}),
    model: modelInfo(artifact, rows),
  };
}
