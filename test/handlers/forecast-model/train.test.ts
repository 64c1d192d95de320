import { bucketSeries, type SeriesRow } from '../../../handlers/forecast-model/series-set';
import { seriesSpecOf } from '../../../handlers/forecast-model/series-spec';
import { StepGrid } from '../../../handlers/forecast-model/step-grid';
import { trainForecast, type TrainResult } from '../../../handlers/forecast-model/train';
import { parseModelArtifact } from '../../../handlers/forecast-model/model-artifact';
import { InsufficientTrainingDataError } from '../../../handlers/forecast-model/forecast-model-error';
import { co2Monthly, hourlyDepartures, seattleTempMax } from './real-series';

function trainOn(dataset: string, rows: SeriesRow[], settings: { every: string; horizon: number; season?: number }): TrainResult {
  const spec = seriesSpecOf(settings);
  const result = trainForecast(bucketSeries(rows, new StepGrid(spec.every)), spec, { dataset });
  // The figures the README quotes: MAE and MASE per model on each real series.
  process.stdout.write(`${dataset} ${spec.every} h=${spec.horizon} s=${spec.season}: ${result.scores.map((s) => `${s.model} MAE ${s.mae} MASE ${s.mase}`).join('; ')} -> ${result.artifact.model}\n`);
  return result;
}

function score(result: TrainResult, model: string): { mae: number; mase: number } {
  const found = result.scores.find((s) => s.model === model);
  if (found === undefined) throw new Error(`${model} was not scored`);
  return { mae: found.mae, mase: found.mase ?? Number.NaN };
}

describe('trainForecast on real series (vega-datasets)', () => {
  it('daily maximum temperature in Seattle: the learned model beats both baselines, and is kept', () => {
    const result = trainOn('seattle_weather', seattleTempMax(), { every: '1d', horizon: 7 });
    expect(result.artifact.season).toBe(7);
    expect(result.artifact.backtest.forecasts).toBeGreaterThan(1500);
    expect(score(result, 'ridge-lags').mase).toBeLessThan(score(result, 'last-value').mase);
    expect(score(result, 'ridge-lags').mase).toBeLessThan(score(result, 'seasonal-naive').mase);
    expect(result.artifact.model).toBe('ridge-lags');
    expect(parseModelArtifact(JSON.parse(JSON.stringify(result.artifact)))).toEqual(result.artifact);
  });

  it('monthly CO2: the season is 12, and the trend-aware learned model beats seasonal-naive by far', () => {
    const result = trainOn('co2', co2Monthly(), { every: '1mo', horizon: 12 });
    expect(result.artifact.season).toBe(12);
    // Seasonal-naive a year back misses the trend: MASE above 1 over a 12-month horizon.
    expect(score(result, 'seasonal-naive').mase).toBeGreaterThan(1);
    expect(score(result, 'ridge-lags').mase).toBeLessThan(0.6);
    expect(result.artifact.model).toBe('ridge-lags');
  });

  it('hourly departures per airport: one series per airport, season 24, the best MAE is kept', () => {
    const result = trainOn('flights', hourlyDepartures(3), { every: '1h', horizon: 6 });
    expect(result.artifact.season).toBe(24);
    const best = Math.min(...result.scores.map((s) => s.mae));
    expect(score(result, result.artifact.model).mae).toBe(best);
    expect(score(result, 'seasonal-naive').mase).toBeGreaterThan(0.5);
  });

  it('keeps seasonal-naive when it wins: an exactly weekly series', () => {
    const pattern = [5, 9, 2, 7, 7, 1, 4];
    const rows = Array.from({ length: 400 }, (_, i) => ({ key: [], time: Date.UTC(2024, 0, 1) + i * 86_400_000, value: pattern[i % 7] ?? 0 }));
    const result = trainOn('weekly', rows, { every: '1d', horizon: 3 });
    expect(score(result, 'seasonal-naive').mae).toBe(0);
    // In-sample seasonal-naive is exact too: MASE has no scale.
    expect(result.scores.map((s) => s.mase)).toEqual([null, null, null]);
    expect(result.artifact.model).toBe('seasonal-naive');
    expect(result.artifact.coefficients).toEqual([]);
  });

  it('is a function of the rows, not of their order', () => {
    const rows = seattleTempMax().slice(0, 500);
    const a = trainForecast(bucketSeries(rows, new StepGrid('1d')), seriesSpecOf({ every: '1d', horizon: 2 }), { dataset: 'w' });
    const b = trainForecast(bucketSeries([...rows].reverse(), new StepGrid('1d')), seriesSpecOf({ every: '1d', horizon: 2 }), { dataset: 'w' });
    expect(b.artifact).toEqual(a.artifact);
  });

  it('refuses a history shorter than a season plus the backtest, saying how long it is', () => {
    const rows = seattleTempMax().slice(0, 8);
    expect(() => trainForecast(bucketSeries(rows, new StepGrid('1d')), seriesSpecOf({ every: '1d', horizon: 2 }), { dataset: 'w' })).toThrow(InsufficientTrainingDataError);
    expect(() => trainForecast(bucketSeries(rows, new StepGrid('1d')), seriesSpecOf({ every: '1d', horizon: 2 }), { dataset: 'w' })).toThrow('the data spans 8 steps');
  });
});
