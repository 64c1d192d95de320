import { InvalidInferenceInputError } from '../../../handlers/forecast-model/forecast-model-error';
import { buildInferenceRecords } from '../../../handlers/forecast-model/inference-record';
import { transformJsonLines } from '../../../handlers/forecast-model/json-lines-transform';
import { predict, predictRecord } from '../../../handlers/forecast-model/predict';
import { loadShippedTrafficModel } from '../../../infra/local/sample/shipped-model';
import { simulateTraffic } from '../../../infra/local/sample/traffic-simulation';
import type { TrafficSpeedModel } from '../../../handlers/forecast-model/model-artifact';

const readings = simulateTraffic({ sensors: 4, hours: 30, seed: 42, start: '2026-01-08T00:00:00Z' })
  .filter((l) => l.fault === undefined && !l.duplicate)
  .map((l) => ({ sensor: l.sensor, time: new Date(l.eventTimeMs).toISOString(), speed: Number(l.record.currentSpeed) }));
const origins = ['2026-01-09T04:00:00Z', '2026-01-09T02:00:00Z', '2026-01-09T04:00:00.000Z'];
let artifact: TrafficSpeedModel;
beforeAll(async () => {
  artifact = await loadShippedTrafficModel();
});

describe('predict', () => {
  it('forecasts 4 quarter-hour steps per origin hour and sensor, stamped with the model version', () => {
    const rows = predict(artifact, readings, origins);
    expect(rows).toHaveLength(2 * 4 * 4);
    expect(rows[0]).toEqual({
      sensor: 'S001',
      originHour: '2026-01-09T02:00:00.000Z',
      targetTime: '2026-01-09T03:00:00.000Z',
      step: 1,
      predictedSpeed: expect.any(Number),
      modelVersion: artifact.version,
    });
    expect(rows.slice(0, 4).map((r) => r.targetTime)).toEqual(['03:00', '03:15', '03:30', '03:45'].map((t) => `2026-01-09T${t}:00.000Z`));
    for (const r of rows) expect(r.predictedSpeed).toBeGreaterThan(20);
  });

  it('depends only on the rows, not their order, and is repeatable', () => {
    expect(predict(artifact, [...readings].reverse(), origins)).toEqual(predict(artifact, readings, origins));
  });

  it('follows recent data: a sensor that slowed down is forecast slower', () => {
    const slowed = readings.map((r) => (r.sensor === 'S002' && r.time.startsWith('2026-01-09T04') ? { ...r, speed: 20 } : r));
    const base = predict(artifact, readings, ['2026-01-09T04:00:00Z']).find((r) => r.sensor === 'S002' && r.step === 1);
    const slow = predict(artifact, slowed, ['2026-01-09T04:00:00Z']).find((r) => r.sensor === 'S002' && r.step === 1);
    expect(slow?.predictedSpeed).toBeLessThan((base?.predictedSpeed ?? 0) - 20);
  });

  it('skips sensors with no reading in the origin hour, and forecasts unknown sensors from their own data', () => {
    const gap = readings.filter((r) => !(r.sensor === 'S003' && r.time.startsWith('2026-01-09T02')));
    expect(predict(artifact, gap, ['2026-01-09T02:00:00Z']).filter((r) => r.sensor === 'S003')).toHaveLength(0);
    const stranger = readings.filter((r) => r.sensor === 'S001').map((r) => ({ ...r, sensor: 'X999' }));
    expect(predict(artifact, stranger, ['2026-01-09T02:00:00Z'])).toHaveLength(4);
    expect(() => predict(artifact, readings, ['2026-01-09T02:30:00Z'])).toThrow('whole hour');
  });
});

describe('transformJsonLines', () => {
  it('answers one line per input line, in order, with the same forecasts as predictRecord', () => {
    const records = buildInferenceRecords(readings, origins);
    const body = `${records.map((r) => JSON.stringify(r)).join('\n')}\n\n`;
    const out = transformJsonLines(artifact, body).split('\n');
    expect(out.pop()).toBe('');
    expect(out.map((l) => JSON.parse(l))).toEqual(records.map((r) => predictRecord(artifact, r)));
    const flattened = out.flatMap((l) => (JSON.parse(l) as { forecasts: { predictedSpeed: number }[] }).forecasts.map((f) => f.predictedSpeed));
    expect(flattened).toEqual(predict(artifact, readings, origins).map((r) => r.predictedSpeed));
  });

  it('names the line that is not JSON or not a record', () => {
    const good = JSON.stringify(buildInferenceRecords(readings, ['2026-01-09T02:00:00Z'])[0]);
    expect(() => transformJsonLines(artifact, `${good}\n{oops\n`)).toThrow(InvalidInferenceInputError);
    expect(() => transformJsonLines(artifact, `${good}\n{oops\n`)).toThrow(/^line 2: not JSON/);
    expect(() => transformJsonLines(artifact, `{"sensor":"S1","originHour":"2026-01-09T02:10:00Z","history":[]}`)).toThrow(/line 1: originHour: expected an ISO-8601 UTC time on a whole hour/);
  });

  it('returns no steps for a record without readings in its origin hour', () => {
    const out = transformJsonLines(artifact, JSON.stringify({ sensor: 'S1', originHour: '2026-01-09T02:00:00Z', history: [] }));
    expect(JSON.parse(out)).toEqual({ sensor: 'S1', originHour: '2026-01-09T02:00:00Z', modelVersion: artifact.version, forecasts: [] });
  });
});

describe('event times as the query engine prints them', () => {
  it('reads zone-less timestamps (2026-01-09 02:00:00) as UTC, whatever the machine zone', () => {
    const naive = readings.map((r) => ({ ...r, time: r.time.replace('T', ' ').replace('.000Z', '') }));
    expect(predict(artifact, naive, ['2026-01-09 02:00:00'])).toEqual(predict(artifact, readings, ['2026-01-09T02:00:00Z']));
  });
});

describe('createInferenceFunction (what the local batch-transform runner calls)', () => {
  it('returns the JSON-lines transform for line input and JSON for application/json, and refuses other types', async () => {
    const { createInferenceFunction } = await import('../../../handlers/forecast-model/inference-function');
    const infer = createInferenceFunction(artifact);
    const records = buildInferenceRecords(readings, origins);
    const body = records.map((r) => `${JSON.stringify(r)}\n`).join('');
    expect(await infer(body, 'application/jsonlines')).toBe(transformJsonLines(artifact, body));
    expect(await infer(body, '')).toBe(transformJsonLines(artifact, body));
    expect(JSON.parse(await infer(JSON.stringify(records), 'application/json; charset=utf-8'))).toEqual(records.map((r) => predictRecord(artifact, r)));
    await expect(infer(body, 'text/csv')).rejects.toThrow(InvalidInferenceInputError);
  });
});
