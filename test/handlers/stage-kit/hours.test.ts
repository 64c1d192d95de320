import { hourOfPartition, hourStart, hourWindows, HOUR_MS, partitionOfHour, partitionPath, sqlHour } from '../../../handlers/stage-kit/hours';

const KEYS = ['year', 'month', 'day', 'hour'];
const h = (iso: string) => Date.parse(iso);

describe('hours', () => {
  it('maps instants to hours, SQL literals and partitions and back', () => {
    expect(hourStart('2026-01-05T10:59:59.999Z')).toBe(h('2026-01-05T10:00:00Z'));
    expect(sqlHour(h('2026-01-05T10:00:00Z'))).toBe('2026-01-05 10:00:00');
    const p = partitionOfHour(h('2026-01-05T03:00:00Z'), KEYS);
    expect(p).toEqual({ year: '2026', month: '01', day: '05', hour: '03' });
    expect(partitionPath(p, KEYS)).toBe('year=2026/month=01/day=05/hour=03');
    expect(hourOfPartition(p, KEYS)).toBe(h('2026-01-05T03:00:00Z'));
    expect(() => hourStart('yesterday')).toThrow(RangeError);
  });

  it('splits hours into consecutive windows of at most the limit, deduplicated and sorted', () => {
    const base = h('2026-01-01T00:00:00Z');
    const hours = [5, 0, 1, 2, 2, 3, 9, 10].map((i) => base + i * HOUR_MS);
    const windows = hourWindows(hours, 3);
    expect(windows.map((w) => w.hours.map((x) => (x - base) / HOUR_MS))).toEqual([[0, 1, 2], [3], [5], [9, 10]]);
    expect(windows[0]?.end).toBe(base + 3 * HOUR_MS);
    const many = Array.from({ length: 250 }, (_, i) => base + i * HOUR_MS);
    expect(hourWindows(many, 100).map((w) => w.hours.length)).toEqual([100, 100, 50]);
  });
});
