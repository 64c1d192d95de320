import { StepGrid } from './step-grid';

/**
 * What a forecast is made of, from the dataset's manifest: the step duration (`every`), how many
 * steps ahead (`horizon`) and the season in steps (declared, or the step's default).
 */
export interface SeriesSpec {
  readonly every: string;
  readonly horizon: number;
  readonly season: number;
}

/** The spec of a manifest's forecast settings: the season defaults to the step's (96 for 15m, 24 for 1h, 7 for 1d, 12 for 1mo). */
export function seriesSpecOf(settings: { readonly every: string; readonly horizon: number; readonly season?: number | undefined }): SeriesSpec {
  return { every: settings.every, horizon: settings.horizon, season: settings.season ?? new StepGrid(settings.every).defaultSeason() };
}

/**
 * Steps of history before the origin step that every model may read: the seasonal lags reach one
 * season back, the learned model's lags two steps.
 */
export function lookbackSteps(spec: SeriesSpec): number {
  return Math.max(spec.season, 2);
}
