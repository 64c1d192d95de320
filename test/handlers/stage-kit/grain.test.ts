import { grainNext, grainStart, partitionsBetween, partitionWindows } from '../../../handlers/stage-kit/grain';
import { hourOfPartition, partitionOfHour } from '../../../handlers/stage-kit/hours';

const iso = (ms: number): string => new Date(ms).toISOString();
const at = (s: string): number => Date.parse(s);

describe('partition grains', () => {
  it.each([
    ['hour', '2024-02-29T23:59:59.999Z', '2024-02-29T23:00:00.000Z', '2024-03-01T00:00:00.000Z'],
    ['day', '2024-02-29T23:59:59.999Z', '2024-02-29T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
    ['month', '2024-02-29T23:59:59.999Z', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
    ['month', '2023-12-31T12:00:00.000Z', '2023-12-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'],
  ] as const)('%s: %s starts at %s, next at %s', (grain, instant, start, next) => {
    expect(iso(grainStart(at(instant), grain))).toBe(start);
    expect(iso(grainNext(grainStart(at(instant), grain), grain))).toBe(next);
  });

  it('lists every partition a span touches at its grain: 4 years of days are 1,461 partitions, of months 48', () => {
    const from = at('2012-01-01T00:00:00Z');
    const to = at('2015-12-31T00:00:00Z');
    expect(partitionsBetween(from, to, 'day')).toHaveLength(1461);
    expect(partitionsBetween(from, to, 'month')).toHaveLength(48);
    expect(partitionsBetween(from, to, 'hour')).toHaveLength(1460 * 24 + 1);
  });

  it('maps each day or month start to one partition path and back', () => {
    const days = partitionsBetween(at('2024-02-27T05:00:00Z'), at('2024-03-02T05:00:00Z'), 'day');
    const keys = ['year', 'month', 'day'];
    expect(days.map((d) => Object.values(partitionOfHour(d, keys)).join('-'))).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02']);
    expect(days.map((d) => hourOfPartition(partitionOfHour(d, keys), keys))).toEqual(days);
    const month = at('2024-02-01T00:00:00Z');
    expect(partitionOfHour(month, ['year', 'month'])).toEqual({ year: '2024', month: '02' });
    expect(hourOfPartition({ year: '2024', month: '02' }, ['year', 'month'])).toBe(month);
  });

  it('windows consecutive partitions at most max long; with gaps, by the partitions that hold rows', () => {
    const days = partitionsBetween(at('2024-01-01T00:00:00Z'), at('2024-12-31T00:00:00Z'), 'day');
    expect(partitionWindows(days, 100, 'day').map((w) => w.hours.length)).toEqual([100, 100, 100, 66]);
    const sparse = [days[0], days[50], days[365]].filter((d): d is number => d !== undefined);
    expect(partitionWindows(sparse, 100, 'day')).toHaveLength(3);
    const gapped = partitionWindows(sparse, 2, 'day', true);
    expect(gapped.map((w) => [iso(w.start), iso(w.end), w.hours.length])).toEqual([
      ['2024-01-01T00:00:00.000Z', '2024-02-21T00:00:00.000Z', 2],
      ['2024-12-31T00:00:00.000Z', '2025-01-01T00:00:00.000Z', 1],
    ]);
  });
});
