import { buildInferenceRecords } from '../../../handlers/forecast-model/inference-record';
import { predictRecord } from '../../../handlers/forecast-model/predict';
import { bucketSeries } from '../../../handlers/forecast-model/series-set';
import { seriesSpecOf } from '../../../handlers/forecast-model/series-spec';
import { StepGrid } from '../../../handlers/forecast-model/step-grid';
import { trainForecast } from '../../../handlers/forecast-model/train';
import { seattleTempMax } from './real-series';

const spec = { every: '1d', horizon: 3, season: 7 };
/** 20 days of one series: value = day number (1, 2, …), except day 12 has no row. */
const rows = Array.from({ length: 20 }, (_, i) => ({ key: [] as string[], time: Date.UTC(2024, 0, 1 + i, 12), value: i + 1 })).filter((r) => r.value !== 12);
const monthOf = (m: number) => ({ start: Date.UTC(2024, m, 1), end: Date.UTC(2024, m + 1, 1) });

describe('buildInferenceRecords', () => {
  it('takes the last step with data in the origin partition as the origin, and one season of history before it', () => {
    const [record] = buildInferenceRecords('w', rows, spec, [monthOf(0)]);
    expect(record?.origin).toBe('2024-01-20T00:00:00.000Z');
    expect(record?.history.map((h) => h.value)).toEqual([13, 14, 15, 16, 17, 18, 19, 20]);
    expect(record?.history[0]?.t).toBe('2024-01-13T00:00:00.000Z');
  });

  it('reads nothing at or after the partition end, and makes no record for a partition without data', () => {
    const window = { start: Date.UTC(2024, 0, 10), end: Date.UTC(2024, 0, 11) };
    const records = buildInferenceRecords('w', rows, spec, [window, monthOf(1)]);
    expect(records).toHaveLength(1);
    expect(records[0]?.origin).toBe('2024-01-10T00:00:00.000Z');
    expect(records[0]?.history.map((h) => h.value)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('takes a row that stands for several readings (a step piece: their sum and count) as those readings', () => {
    const day = (d: number, h: number): number => Date.UTC(2024, 0, d, h);
    const readings = [{ time: day(3, 1), value: 2 }, { time: day(3, 5), value: 4 }, { time: day(3, 9), value: 9 }, { time: day(4, 2), value: 7 }].map((r) => ({ key: ['s'], ...r }));
    const pieces = [{ key: ['s'], time: day(3, 0), value: 15, count: 3 }, { key: ['s'], time: day(4, 0), value: 7, count: 1 }];
    const window = [{ start: day(4, 0), end: day(5, 0) }];
    expect(buildInferenceRecords('w', pieces, spec, window)).toEqual(buildInferenceRecords('w', readings, spec, window));
    expect(buildInferenceRecords('w', pieces, spec, window)[0]?.history.map((h) => h.value)).toEqual([5, 7]);
  });

  it('makes one record per series with data, series sorted by key', () => {
    const two = [...rows.map((r) => ({ ...r, key: ['b'] })), { key: ['a'], time: Date.UTC(2024, 0, 3), value: 1 }];
    expect(buildInferenceRecords('w', two, spec, [monthOf(0)]).map((r) => r.series)).toEqual([['a'], ['b']]);
  });
});

describe('predictRecord', () => {
  const [record] = buildInferenceRecords('w', rows, spec, [monthOf(0)]);
  if (record === undefined) throw new Error('no record');

  it('without an artifact forecasts seasonal-naive, version untrained', () => {
    const out = predictRecord(undefined, record);
    expect(out).toMatchObject({ model: 'seasonal-naive', modelVersion: 'untrained', origin: '2024-01-20T00:00:00.000Z' });
    // A season (7 days) before each target: days 14, 15, 16.
    expect(out.forecasts).toEqual([
      { step: 1, targetTime: '2024-01-21T00:00:00.000Z', prediction: 14, model: 'seasonal-naive' },
      { step: 2, targetTime: '2024-01-22T00:00:00.000Z', prediction: 15, model: 'seasonal-naive' },
      { step: 3, targetTime: '2024-01-23T00:00:00.000Z', prediction: 16, model: 'seasonal-naive' },
    ]);
  });

  it('says last-value where the value a season before the target is missing', () => {
    const gap = { ...record, history: record.history.filter((h) => h.t !== '2024-01-15T00:00:00.000Z') };
    expect(predictRecord(undefined, gap).forecasts[1]).toEqual({ step: 2, targetTime: '2024-01-22T00:00:00.000Z', prediction: 20, model: 'last-value' });
  });

  it('uses a trained artifact only for its own dataset and settings', () => {
    const trainSpec = seriesSpecOf({ every: '1d', horizon: 3 });
    const { artifact } = trainForecast(bucketSeries(seattleTempMax(), new StepGrid('1d')), trainSpec, { dataset: 'w' });
    expect(artifact.model).toBe('ridge-lags');
    expect(predictRecord(artifact, record)).toMatchObject({ model: 'ridge-lags', modelVersion: artifact.version });
    expect(predictRecord(artifact, { ...record, dataset: 'other' })).toMatchObject({ model: 'seasonal-naive', modelVersion: 'untrained' });
    expect(predictRecord(artifact, { ...record, horizon: 2 })).toMatchObject({ model: 'seasonal-naive', modelVersion: 'untrained' });
  });

  it('forecasts nothing when the origin step has no value', () => {
    expect(predictRecord(undefined, { ...record, origin: new Date(Date.UTC(2024, 0, 12)).toISOString() }).forecasts).toEqual([]);
  });
});
