import { StepGrid } from '../../../handlers/forecast-model/step-grid';
import { coveredOrigins, nextPartitionStart, partitionStart, startOfPartition } from '../../../handlers/stage-kit/forecast-origins';

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 16);

describe('forecast origins', () => {
  it('hour partitions, 15-minute steps, season 96: a changed hour is read by itself and the 24 hours after it', () => {
    const changed = Date.parse('2026-01-05T10:00:00Z');
    const covered = coveredOrigins([changed], 'hour', new StepGrid('15m'), 96);
    expect(covered).toHaveLength(25);
    expect(iso(covered[0] ?? 0)).toBe('2026-01-05T10:00');
    expect(iso(covered[24] ?? 0)).toBe('2026-01-06T10:00');
  });

  it('day partitions, daily steps, season 7: the changed day and the 7 after it', () => {
    const covered = coveredOrigins([Date.UTC(2024, 1, 27)], 'day', new StepGrid('1d'), 7);
    expect(covered.map(iso)).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04', '2024-03-05'].map((d) => `${d}T00:00`));
  });

  it('month partitions, monthly steps, season 12: the changed month and the 12 after it; overlapping changes once', () => {
    const covered = coveredOrigins([Date.UTC(2020, 0, 1), Date.UTC(2020, 1, 1)], 'month', new StepGrid('1mo'), 12);
    expect(covered).toHaveLength(14);
    expect(iso(covered[13] ?? 0)).toBe('2021-02-01T00:00');
  });

  it('maps instants and partition values to partition starts at each grain', () => {
    const at = Date.parse('2024-02-29T13:45:00Z');
    expect(iso(partitionStart(at, 'hour'))).toBe('2024-02-29T13:00');
    expect(iso(partitionStart(at, 'day'))).toBe('2024-02-29T00:00');
    expect(iso(partitionStart(at, 'month'))).toBe('2024-02-01T00:00');
    expect(iso(nextPartitionStart(Date.UTC(2024, 11, 1), 'month'))).toBe('2025-01-01T00:00');
    expect(iso(startOfPartition({ y: '2024', m: '02' }, ['y', 'm']))).toBe('2024-02-01T00:00');
    expect(iso(startOfPartition({ year: '2024', month: '02', day: '29', hour: '13' }, ['year', 'month', 'day', 'hour']))).toBe('2024-02-29T13:00');
  });
});
