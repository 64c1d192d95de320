/** A parsed ScheduleExpression: the latest slot at or before an instant (ms), if any. */
export interface Schedule {
  readonly expression: string;
  /** The latest firing time (ms, UTC) at or before `at` and after `anchor` (the rule's creation), or undefined. */
  latestAtOrBefore(at: number, anchor: number): number | undefined;
  /** The earliest firing time strictly after `at` (ms), for arming a timer; undefined when none is near. */
  nextAfter(at: number, anchor: number): number | undefined;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const UNITS: Readonly<Record<string, number>> = { minute: MINUTE, minutes: MINUTE, hour: 60 * MINUTE, hours: 60 * MINUTE, day: DAY, days: DAY };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
/** Days searched for a cron slot before giving up (a bit over 8 years, past any leap-day gap). */
const SEARCH_DAYS = 3000;

/**
 * Parses an EventBridge ScheduleExpression: `rate(<n> <unit>)` (minute(s), hour(s), day(s); singular
 * exactly when n is 1) or `cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)` in
 * UTC with `, - * /`, names (JAN-DEC, SUN-SAT with SUN = 1), `?` in exactly one of the two day fields,
 * `L` and `W` (and `LW`) in day-of-month, `L` and `#` in day-of-week. Undefined when invalid.
 */
export function parseScheduleExpression(expression: string): Schedule | undefined {
  const rate = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression);
  if (rate !== null) {
    const value = Number(rate[1]);
    const unit = rate[2] ?? '';
    if (value < 1 || (value === 1) !== !unit.endsWith('s')) return undefined;
    const period = value * (UNITS[unit] ?? MINUTE);
    return {
      expression,
      latestAtOrBefore: (at, anchor) => (at < anchor + period ? undefined : anchor + Math.floor((at - anchor) / period) * period),
      nextAfter: (at, anchor) => (at < anchor ? anchor + period : anchor + (Math.floor((at - anchor) / period) + 1) * period),
    };
  }
  const cron = /^cron\(([^)]*)\)$/.exec(expression);
  const fields = cron?.[1]?.trim().split(/\s+/);
  if (fields?.length !== 6) return undefined;
  const days = parseDayFields(fields[2] ?? '', fields[4] ?? '');
  const minutes = parseField(fields[0] ?? '', 0, 59);
  const hours = parseField(fields[1] ?? '', 0, 23);
  const months = parseField(fields[3] ?? '', 1, 12, MONTHS);
  const years = parseField(fields[5] ?? '', 1970, 2199);
  if (days === undefined || minutes === undefined || hours === undefined || months === undefined || years === undefined) return undefined;
  const times: number[] = [];
  for (const hour of hours) for (const minute of minutes) times.push((hour * 60 + minute) * MINUTE);
  times.sort((a, b) => a - b);
  const dayMatches = (dayStart: number): boolean => {
    const date = new Date(dayStart);
    return years.has(date.getUTCFullYear()) && months.has(date.getUTCMonth() + 1) && days(date);
  };
  return {
    expression,
    latestAtOrBefore: (at, anchor) => {
      for (let day = Math.floor(at / DAY) * DAY, n = 0; n < SEARCH_DAYS && day + DAY > anchor; day -= DAY, n++) {
        if (!dayMatches(day)) continue;
        for (let i = times.length - 1; i >= 0; i--) {
          const slot = day + (times[i] ?? 0);
          if (slot <= at) return slot > anchor ? slot : undefined;
        }
      }
      return undefined;
    },
    nextAfter: (at) => {
      for (let day = Math.floor(at / DAY) * DAY, n = 0; n < SEARCH_DAYS; day += DAY, n++) {
        if (!dayMatches(day)) continue;
        for (const time of times) if (day + time > at) return day + time;
      }
      return undefined;
    },
  };
}

/** One field's allowed values from `*`, `a`, `a-b`, with an optional `/step`, comma-separated; names allowed. */
function parseField(field: string, min: number, max: number, names?: readonly string[]): Set<number> | undefined {
  const values = new Set<number>();
  const value = (text: string): number | undefined => {
    const named = names?.indexOf(text.toUpperCase()) ?? -1;
    const number = named >= 0 ? named + 1 : /^\d+$/.test(text) ? Number(text) : NaN;
    return Number.isInteger(number) && number >= min && number <= max ? number : undefined;
  };
  for (const item of field.split(',')) {
    const match = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(item);
    if (match === null) return undefined;
    const [range = '', stepText] = [match[1], match[2]];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) return undefined;
    let low: number | undefined = min;
    let high: number | undefined = max;
    if (range !== '*') {
      const [from = '', to] = range.split('-');
      low = value(from);
      high = to === undefined ? (stepText === undefined ? low : max) : value(to);
    }
    if (low === undefined || high === undefined || low > high) return undefined;
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return values;
}

function lastDayOfMonth(date: Date): number {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
}

/** The weekday nearest to day `target` of the month, not crossing into another month (Quartz's `W`). */
function nearestWeekday(date: Date, target: number): number {
  const last = lastDayOfMonth(date);
  const day = Math.min(target, last);
  const weekday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), day)).getUTCDay();
  if (weekday === 6) return day === 1 ? 3 : day - 1;
  if (weekday === 0) return day === last ? day - 2 : day + 1;
  return day;
}

/** The day-of-month and day-of-week fields as one predicate; exactly one of them must be `?`. */
function parseDayFields(dom: string, dow: string): ((date: Date) => boolean) | undefined {
  if ((dom === '?') === (dow === '?')) return undefined;
  if (dow === '?') {
    if (dom === 'L') return (date) => date.getUTCDate() === lastDayOfMonth(date);
    if (dom === 'LW') return (date) => date.getUTCDate() === nearestWeekday(date, lastDayOfMonth(date));
    const weekday = /^(\d{1,2})W$/.exec(dom);
    if (weekday !== null) {
      const target = Number(weekday[1]);
      if (target < 1 || target > 31) return undefined;
      return (date) => date.getUTCDate() === nearestWeekday(date, target);
    }
    const days = parseField(dom, 1, 31);
    return days === undefined ? undefined : (date) => days.has(date.getUTCDate());
  }
  const weekdayOf = (text: string): number | undefined => {
    const named = WEEKDAYS.indexOf(text.toUpperCase());
    const number = named >= 0 ? named + 1 : /^[1-7]$/.test(text) ? Number(text) : undefined;
    return number;
  };
  if (dow === 'L') return (date) => date.getUTCDay() === 6;
  const last = /^([A-Za-z0-9]+)L$/.exec(dow);
  if (last !== null) {
    const weekday = weekdayOf(last[1] ?? '');
    if (weekday === undefined) return undefined;
    return (date) => date.getUTCDay() === weekday - 1 && date.getUTCDate() + 7 > lastDayOfMonth(date);
  }
  const nth = /^([A-Za-z0-9]+)#([1-5])$/.exec(dow);
  if (nth !== null) {
    const weekday = weekdayOf(nth[1] ?? '');
    const index = Number(nth[2]);
    if (weekday === undefined) return undefined;
    return (date) => date.getUTCDay() === weekday - 1 && Math.ceil(date.getUTCDate() / 7) === index;
  }
  const weekdays = parseField(dow, 1, 7, WEEKDAYS);
  return weekdays === undefined ? undefined : (date) => weekdays.has(date.getUTCDay() + 1);
}
