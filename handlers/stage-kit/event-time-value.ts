import type { EventTimeFormat } from '../../contracts/event-time-format';

/** Years 1..9999 in epoch seconds: the range `eventTimeSql` and `eventTimeDuckDbSql` accept. */
const MIN_EPOCH_S = -62135596800;
const MAX_EPOCH_S = 253402300799;

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = '(?:mon|tue|wed|thu|fri|sat|sun)';
const DAY_NAMES = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)';

type Field = 'Y' | 'y' | 'm' | 'd' | 'j' | 'H' | 'I' | 'M' | 'S' | 'f' | 'p' | 'b' | 'B' | 'skip';

/** Each strptime specifier: the text it matches and the field it sets. */
const SPECIFIERS: Readonly<Record<string, readonly [string, Field]>> = {
  '%Y': ['(\\d{4})', 'Y'],
  '%y': ['(\\d{2})', 'y'],
  '%m': ['(\\d{1,2})', 'm'],
  '%d': ['(\\d{1,2})', 'd'],
  '%e': ['\\s?(\\d{1,2})', 'd'],
  '%j': ['(\\d{1,3})', 'j'],
  '%H': ['(\\d{1,2})', 'H'],
  '%I': ['(\\d{1,2})', 'I'],
  '%M': ['(\\d{1,2})', 'M'],
  '%S': ['(\\d{1,2})', 'S'],
  '%f': ['(\\d{1,9})', 'f'],
  '%p': ['(am|pm)', 'p'],
  '%b': [`(${MONTHS.join('|')})`, 'b'],
  '%B': [`(${MONTH_NAMES.join('|')})`, 'B'],
  '%a': [`(${DAYS})`, 'skip'],
  '%A': [`(${DAY_NAMES})`, 'skip'],
};

const compiled = new Map<string, { regex: RegExp; fields: Field[] }>();

function compile(pattern: string): { regex: RegExp; fields: Field[] } {
  const known = compiled.get(pattern);
  if (known) return known;
  const fields: Field[] = [];
  const source = pattern.replace(/%T/g, '%H:%M:%S').split(/(%.)/s).map((part) => {
    if (part === '%%') return '%';
    const spec = SPECIFIERS[part];
    if (spec) {
      fields.push(spec[1]);
      return spec[0];
    }
    // Whitespace in the pattern matches any run of whitespace, as strptime's does.
    return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  }).join('');
  const made = { regex: new RegExp(`^\\s*${source}\\s*$`, 'i'), fields };
  compiled.set(pattern, made);
  return made;
}

function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const d = new Date(t);
  // 31 February is no date: Date.UTC would roll it into March.
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return t;
}

function strptime(text: string, pattern: string): number | undefined {
  const { regex, fields } = compile(pattern);
  const m = regex.exec(text);
  if (!m) return undefined;
  let [year, month, day, hour, minute, second, ms, yday] = [1900, 1, 1, 0, 0, 0, 0, 0];
  let pm: boolean | undefined;
  let twelve = false;
  fields.forEach((field, i) => {
    const v = m[i + 1] ?? '';
    const n = Number(v);
    if (field === 'Y') year = n;
    else if (field === 'y') year = n < 69 ? 2000 + n : 1900 + n;
    else if (field === 'm') month = n;
    else if (field === 'd') day = n;
    else if (field === 'j') yday = n;
    else if (field === 'H') hour = n;
    else if (field === 'I') [hour, twelve] = [n, true];
    else if (field === 'M') minute = n;
    else if (field === 'S') second = n;
    else if (field === 'f') ms = Math.floor(Number(`0.${v}`) * 1000);
    else if (field === 'p') pm = v.toLowerCase() === 'pm';
    else if (field === 'b') month = MONTHS.indexOf(v.toLowerCase()) + 1;
    else if (field === 'B') month = MONTH_NAMES.indexOf(v.toLowerCase()) + 1;
  });
  if (twelve || pm !== undefined) {
    if (twelve && (hour < 1 || hour > 12)) return undefined;
    hour = (hour % 12) + (pm === true ? 12 : 0);
  }
  if (yday > 0) {
    const start = utc(year, 1, 1, hour, minute, second, ms);
    return start === undefined || yday > 366 ? undefined : start + (yday - 1) * 86_400_000;
  }
  return utc(year, month, day, hour, minute, second, ms);
}

function iso(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac ? Math.floor(Number(frac) * 1000) : 0;
  const t = utc(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), ms);
  if (t === undefined || zone === undefined || zone === 'Z' || zone === 'z') return t;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return t - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')) * 60_000;
}

function epoch(value: unknown, divisor: number): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) return undefined;
  const seconds = n / divisor;
  return seconds < MIN_EPOCH_S || seconds > MAX_EPOCH_S ? undefined : Math.round(seconds * 1000);
}

/**
 * The event time of one raw value in epoch milliseconds (UTC), undefined when it is missing or does
 * not parse: the JavaScript twin of `eventTimeSql` / `eventTimeDuckDbSql`, for a realisation that
 * inspects landed files without DuckDB. `iso8601`: a date (midnight UTC) or a date and time with `T`
 * or a space, optional fraction and offset (no offset is UTC), or a Date (a Parquet DATE or TIMESTAMP
 * column); `epoch_seconds`, `epoch_millis`: a number, or text holding one, within years 1..9999; any
 * other format is a strptime pattern (the specifiers of STRPTIME_TO_MYSQL, read as UTC).
 */
export function eventTimeMs(value: unknown, format: EventTimeFormat = 'iso8601'): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (format === 'epoch_seconds') return epoch(value, 1);
  if (format === 'epoch_millis') return epoch(value, 1000);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' ? String(value) : undefined;
  if (text === undefined) return undefined;
  return format === 'iso8601' ? iso(text) : strptime(text, format);
}
