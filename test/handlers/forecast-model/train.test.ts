import { parseModelArtifact } from '../../../handlers/forecast-model/model-artifact';
import { predict } from '../../../handlers/forecast-model/predict';
import { QUARTER_MS } from '../../../handlers/forecast-model/quarter-series';
import { train } from '../../../handlers/forecast-model/train';
import { InsufficientTrainingDataError } from '../../../handlers/forecast-model/forecast-model-error';
import { simulateTraffic } from '../../../infra/local/sample/traffic-simulation';

const readings = simulateTraffic({ sensors: 8, hours: 72, seed: 9 })
  .filter((l) => l.fault === undefined && !l.duplicate)
  .map((l) => ({ sensor: l.sensor, time: l.eventTimeMs, speed: Number(l.record.currentSpeed) }));
const result = train(readings, { heldOutHours: 24 });

describe('train', () => {
  it('beats the last-value and same-slot-yesterday baselines on held-out time', () => {
    const { metrics } = result;
    expect(metrics.heldOutRows).toBeGreaterThan(500);
    expect(metrics.modelMae).toBeLessThan(metrics.lastValueMae * 0.9);
    expect(metrics.modelMae).toBeLessThan(metrics.sameSlotYesterdayMae * 0.9);
  });

  it('is a pure function of the set of readings: order does not change the artifact or its version', () => {
    const shuffled = [...readings].reverse().sort((a, b) => (a.speed % 7) - (b.speed % 7));
    const again = train(shuffled.map((r) => ({ ...r, time: new Date(r.time).toISOString() })), { heldOutHours: 24 });
    expect(again.artifact).toEqual(result.artifact);
    expect(parseModelArtifact(JSON.parse(JSON.stringify(result.artifact)))).toEqual(result.artifact);
    expect(result.artifact.trainedAt).toBe('2026-01-07T00:00:00.000Z');
  });

  it('gives another version for other data', () => {
    const other = train(readings.filter((r) => r.sensor !== 'S001'), { heldOutHours: 24 });
    expect(other.artifact.version).not.toBe(result.artifact.version);
  });

  it('records a model MAE that predict reproduces over the held-out origins', () => {
    const heldOutFrom = Date.parse(result.metrics.heldOutFrom);
    const origins = Array.from({ length: 24 }, (_, h) => new Date(heldOutFrom + (h - 1) * 3_600_000).toISOString());
    const actual = new Map<string, { sum: number; n: number }>();
    for (const r of readings) {
      const key = `${r.sensor}|${new Date(Math.floor(r.time / QUARTER_MS) * QUARTER_MS).toISOString()}`;
      const a = actual.get(key) ?? { sum: 0, n: 0 };
      actual.set(key, { sum: a.sum + r.speed, n: a.n + 1 });
    }
    const lastQuarter = (sensor: string, originHour: string): boolean => actual.has(`${sensor}|${new Date(Date.parse(originHour) + 45 * 60_000).toISOString()}`);
    const yesterday = (sensor: string, target: string): boolean => actual.has(`${sensor}|${new Date(Date.parse(target) - 86_400_000).toISOString()}`);
    let sum = 0;
    let rows = 0;
    for (const f of predict(result.artifact, readings, origins)) {
      const a = actual.get(`${f.sensor}|${f.targetTime}`);
      if (a === undefined || !lastQuarter(f.sensor, f.originHour) || !yesterday(f.sensor, f.targetTime)) continue;
      sum += Math.abs(f.predictedSpeed - a.sum / a.n);
      rows += 1;
    }
    expect(rows).toBe(result.metrics.heldOutRows);
    expect(sum / rows).toBeCloseTo(result.metrics.modelMae, 3);
  });

  it('refuses data too short to hold anything out', () => {
    expect(() => train(readings.filter((r) => r.time < Date.parse('2026-01-05T03:00:00Z')), { heldOutHours: 2 })).toThrow(InsufficientTrainingDataError);
    expect(() => train([], { heldOutHours: 1 })).toThrow('no readings');
    expect(() => train(readings, { heldOutHours: 0 })).toThrow('heldOutHours');
  });
});
