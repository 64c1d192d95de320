import { StepGrid } from '../../../handlers/forecast-model/step-grid';

const iso = (ms: number): string => new Date(ms).toISOString();

describe('StepGrid', () => {
  it.each([
    ['15m', '2026-01-05T10:44:59Z', '2026-01-05T10:30:00.000Z', '2026-01-05T10:45:00.000Z', 96],
    ['1h', '2026-01-05T10:59:00Z', '2026-01-05T10:00:00.000Z', '2026-01-05T11:00:00.000Z', 24],
    ['1d', '2026-01-05T23:00:00Z', '2026-01-05T00:00:00.000Z', '2026-01-06T00:00:00.000Z', 7],
    ['1w', '2026-01-07T12:00:00Z', '2026-01-05T00:00:00.000Z', '2026-01-12T00:00:00.000Z', 52],
    ['1mo', '2024-02-29T23:00:00Z', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z', 12],
    ['3mo', '2024-05-10T00:00:00Z', '2024-04-01T00:00:00.000Z', '2024-07-01T00:00:00.000Z', 4],
  ])('%s: %s lies in the step from %s to %s; default season %i', (every, at, start, next, season) => {
    const grid = new StepGrid(every);
    const index = grid.index(Date.parse(at));
    expect(iso(grid.start(index))).toBe(start);
    expect(iso(grid.start(index + 1))).toBe(next);
    expect(grid.index(grid.start(index))).toBe(index);
    expect(grid.defaultSeason()).toBe(season);
  });

  it('has no season for a step that does not divide its period, and refuses a malformed step', () => {
    expect(new StepGrid('7h').defaultSeason()).toBe(1);
    expect(() => new StepGrid('15 minutes')).toThrow('forecast step must look like 15m, 1h, 1d, 1w or 1mo, got "15 minutes"');
  });

  it('gives calendar phases in [0, 1): time of day and weekday for hours, weekday and year for days', () => {
    const hours = new StepGrid('1h');
    expect(hours.phases(hours.index(Date.parse('2026-01-05T06:00:00Z')))).toEqual([0.25, 0]);
    const days = new StepGrid('1d');
    expect(days.phases(days.index(Date.parse('2026-01-07T00:00:00Z')))).toEqual([2 / 7, 6 / 365]);
    const months = new StepGrid('1mo');
    expect(months.phases(months.index(Date.parse('2026-01-01T00:00:00Z')))).toEqual([0]);
  });
});
