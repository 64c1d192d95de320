import { parseScheduleExpression } from '../../../../infra/emulators/bus/schedule-expression';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The next `count` firing times after `from`, as ISO strings. */
function next(expression: string, from: string, count = 3): Array<string | undefined> {
  const schedule = parseScheduleExpression(expression);
  if (schedule === undefined) throw new Error(`invalid: ${expression}`);
  const out: Array<string | undefined> = [];
  let cursor = at(from);
  for (let i = 0; i < count; i++) {
    const slot = schedule.nextAfter(cursor, at('2000-01-01T00:00:00Z'));
    out.push(iso(slot));
    if (slot === undefined) break;
    cursor = slot;
  }
  return out;
}

describe('EventBridge schedule expressions (UTC)', () => {
  it('rate(n unit) counts from the anchor, singular unit only for 1', () => {
    const schedule = parseScheduleExpression('rate(5 minutes)');
    expect(iso(schedule?.latestAtOrBefore(at('2025-01-01T00:12:00Z'), at('2025-01-01T00:00:30Z')))).toBe('2025-01-01T00:10:30.000Z');
    expect(schedule?.latestAtOrBefore(at('2025-01-01T00:04:00Z'), at('2025-01-01T00:00:00Z'))).toBeUndefined();
    expect(parseScheduleExpression('rate(1 hour)')).toBeDefined();
    for (const bad of ['rate(1 hours)', 'rate(2 hour)', 'rate(0 minutes)', 'rate(5 weeks)', 'rate(5minutes)']) expect(parseScheduleExpression(bad)).toBeUndefined();
  });

  it.each([
    ['weekdays at noon', 'cron(0 12 ? * MON-FRI *)', '2025-01-03T12:00:00Z', ['2025-01-06T12:00:00.000Z', '2025-01-07T12:00:00.000Z', '2025-01-08T12:00:00.000Z']],
    ['every 15 minutes', 'cron(0/15 * * * ? *)', '2025-01-01T00:50:00Z', ['2025-01-01T01:00:00.000Z', '2025-01-01T01:15:00.000Z', '2025-01-01T01:30:00.000Z']],
    ['last day of the month (L)', 'cron(0 0 L * ? *)', '2024-01-31T00:00:00Z', ['2024-02-29T00:00:00.000Z', '2024-03-31T00:00:00.000Z', '2024-04-30T00:00:00.000Z']],
    ['nearest weekday to the 15th (W)', 'cron(0 9 15W * ? *)', '2025-02-01T00:00:00Z', ['2025-02-14T09:00:00.000Z', '2025-03-14T09:00:00.000Z', '2025-04-15T09:00:00.000Z']],
    ['last Friday of the month (6L)', 'cron(0 10 ? * 6L *)', '2025-01-01T00:00:00Z', ['2025-01-31T10:00:00.000Z', '2025-02-28T10:00:00.000Z', '2025-03-28T10:00:00.000Z']],
    ['first Monday of the month (2#1)', 'cron(0 8 ? * 2#1 *)', '2025-01-01T00:00:00Z', ['2025-01-06T08:00:00.000Z', '2025-02-03T08:00:00.000Z', '2025-03-03T08:00:00.000Z']],
    ['a year list ends', 'cron(0 0 1 JAN ? 2026,2027)', '2025-06-01T00:00:00Z', ['2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', undefined]],
  ])('%s: %s', (_name, expression, from, expected) => {
    expect(next(expression, from)).toEqual(expected);
  });

  it('finds the latest slot at or before an instant (what a restart owes)', () => {
    const schedule = parseScheduleExpression('cron(0 * * * ? *)');
    expect(iso(schedule?.latestAtOrBefore(at('2025-01-01T05:59:59Z'), at('2025-01-01T00:30:00Z')))).toBe('2025-01-01T05:00:00.000Z');
    expect(schedule?.latestAtOrBefore(at('2025-01-01T00:59:00Z'), at('2025-01-01T00:30:00Z'))).toBeUndefined();
  });

  it.each(['cron(INVALID)', 'cron(0 12 * * * *)', 'cron(0 12 ? * ? *)', 'cron(60 * * * ? *)', 'cron(0 24 * * ? *)', 'cron(0 0 32 * ? *)', 'cron(0 0 ? * 8 *)', 'cron(0 0 1 13 ? *)', 'cron(0 0 1 * ? 1969)', 'cron(0 0 1 * ?)', 'at(2025-01-01T00:00:00)'])(
    'rejects %s',
    (expression) => {
      expect(parseScheduleExpression(expression)).toBeUndefined();
    },
  );
});
