/**
 * Trino (Athena engine v3) functions that DuckDB names or evaluates differently, as DuckDB macros.
 *
 * The rewriter renames a call `f(` to `TRINO_FUNCTION_NAMES[f](`; each target is either a DuckDB
 * built-in with Trino's semantics or one of the `trino_*` macros below (DuckDB cannot define a macro
 * that calls a built-in of the same name, hence the prefix). Typed overloads keep Trino's result
 * type, e.g. `date_add('month', 1, DATE …)` stays a DATE. Integer division is not a function: the
 * engine sets DuckDB's `integer_division=true`, so `7/2` is 3 and `7.0/2` is 3.5, as in Trino.
 */
export const TRINO_FUNCTION_NAMES: Readonly<Record<string, string>> = {
  from_iso8601_timestamp: 'trino_from_iso8601_timestamp',
  from_iso8601_date: 'trino_from_iso8601_date',
  date_parse: 'trino_date_parse',
  date_format: 'trino_date_format',
  format_datetime: 'trino_format_datetime',
  to_unixtime: 'trino_to_unixtime',
  from_unixtime: 'trino_from_unixtime',
  date_trunc: 'trino_date_trunc',
  date_add: 'trino_date_add',
  date_diff: 'trino_date_diff',
  day_of_week: 'isodow',
  dow: 'isodow',
  day_of_year: 'dayofyear',
  doy: 'dayofyear',
  week_of_year: 'week',
  year_of_week: 'isoyear',
  yow: 'isoyear',
  approx_percentile: 'trino_approx_percentile',
  approx_distinct: 'trino_approx_distinct',
  regexp_like: 'regexp_matches',
  regexp_extract: 'trino_regexp_extract',
  regexp_replace: 'trino_regexp_replace',
  split: 'string_split',
  element_at: 'trino_element_at',
  cardinality: 'len',
  array_join: 'array_to_string',
  transform: 'list_transform',
  filter: 'list_filter',
  json_extract_scalar: 'json_extract_string',
  arbitrary: 'any_value',
  greatest: 'trino_greatest',
  least: 'trino_least',
  concat: 'trino_concat',
  sequence: 'generate_series',
};

/**
 * MySQL-style (`date_parse`/`date_format`) to strftime specifiers, applied in order. `%M` (month
 * name) goes through a placeholder first because `%i` (minutes) becomes `%M`.
 */
const MYSQL_FORMAT_STEPS: readonly (readonly [string, string])[] = [
  ['%M', '%\u0001'], ['%i', '%M'], ['%\u0001', '%B'], ['%c', '%-m'], ['%e', '%-d'], ['%k', '%-H'], ['%l', '%-I'],
  ['%h', '%I'], ['%W', '%A'], ['%T', '%H:%M:%S'], ['%r', '%I:%M:%S %p'], ['%s', '%S'], ['%v', '%V'], ['%x', '%G'],
];

/** Joda (`format_datetime`) patterns to strftime, longest first so `yyyy` wins over `yy`. */
const JODA_FORMAT_STEPS: readonly (readonly [string, string])[] = [
  ['yyyy', '%Y'], ['yy', '%y'], ['MMMM', '%B'], ['MMM', '%b'], ['MM', '%m'], ['dd', '%d'], ['HH', '%H'], ['hh', '%I'],
  ['mm', '%M'], ['ss', '%S'], ['SSSSSS', '%f'], ['SSS', '%g'], ['EEEE', '%A'], ['EEE', '%a'], ['ZZ', '%z'],
];

/** Trino functions whose second argument is a format; the rewriter converts a literal format with `convertFormat`. */
export const FORMAT_FUNCTIONS: Readonly<Record<string, 'mysql' | 'joda'>> = { date_parse: 'mysql', date_format: 'mysql', format_datetime: 'joda' };

/**
 * Converts a MySQL-style (`date_parse`, `date_format`) or Joda (`format_datetime`) format to DuckDB's
 * strptime/strftime format. DuckDB needs the format as a constant, so this runs on string literals
 * at translation time; a computed format is passed through unchanged.
 */
export function convertFormat(format: string, style: 'mysql' | 'joda'): string {
  if (style === 'mysql') return MYSQL_FORMAT_STEPS.reduce((f, [from, to]) => f.split(from).join(to), format);
  const parts = format.split(/('(?:[^']|'')*')/);
  return parts.map((part) => (part.startsWith("'") ? part.slice(1, -1).replace(/''/g, "'") : JODA_FORMAT_STEPS.reduce((f, [from, to]) => f.split(from).join(to), part))).join('');
}

const TIME_TYPES = ['TIMESTAMP', 'TIMESTAMPTZ'] as const;
const MAX_VARIADIC = 8;

function variadic(name: string, body: (args: string[]) => string): string {
  const overloads: string[] = [];
  for (let n = 2; n <= MAX_VARIADIC; n++) {
    const args = Array.from({ length: n }, (_, i) => `a${i}`);
    overloads.push(`(${args.join(', ')}) AS ${body(args)}`);
  }
  return `CREATE OR REPLACE MACRO ${name}${overloads.join(', ')}`;
}

/** The CREATE MACRO statements that define every `trino_*` target; run once per DuckDB connection. */
export function trinoMacroStatements(): string[] {
  const interval = `CAST(CAST(n AS VARCHAR) || ' ' || lower(u) AS INTERVAL)`;
  return [
    `CREATE OR REPLACE MACRO trino_from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)`,
    `CREATE OR REPLACE MACRO trino_from_iso8601_date(s) AS CAST(s AS DATE)`,
    `CREATE OR REPLACE MACRO trino_try_from_iso8601_timestamp(s) AS TRY_CAST(s AS TIMESTAMPTZ)`,
    `CREATE OR REPLACE MACRO trino_try_from_iso8601_date(s) AS TRY_CAST(s AS DATE)`,
    `CREATE OR REPLACE MACRO trino_date_parse(s, f) AS strptime(s, f)`,
    `CREATE OR REPLACE MACRO trino_try_date_parse(s, f) AS try_strptime(s, f)`,
    `CREATE OR REPLACE MACRO trino_date_format(t, f) AS strftime(t, f)`,
    `CREATE OR REPLACE MACRO trino_format_datetime(t, f) AS strftime(t, f)`,
    `CREATE OR REPLACE MACRO trino_to_unixtime(t) AS epoch(t)`,
    `CREATE OR REPLACE MACRO trino_from_unixtime(n) AS to_timestamp(CAST(n AS DOUBLE))`,
    `CREATE OR REPLACE MACRO trino_date_trunc(u, x DATE) AS CAST(date_trunc(u, x) AS DATE), ${TIME_TYPES.map((t) => `(u, x ${t}) AS date_trunc(u, x)`).join(', ')}`,
    `CREATE OR REPLACE MACRO trino_date_add(u, n, x DATE) AS CAST(x + ${interval} AS DATE), ${TIME_TYPES.map((t) => `(u, n, x ${t}) AS x + ${interval}`).join(', ')}`,
    `CREATE OR REPLACE MACRO trino_date_diff(u, a, b) AS date_sub(u, a, b)`,
    `CREATE OR REPLACE MACRO trino_approx_percentile(x, p) AS quantile_disc(x, p)`,
    `CREATE OR REPLACE MACRO trino_approx_distinct(x) AS count(DISTINCT x)`,
    `CREATE OR REPLACE MACRO trino_regexp_extract(s, r) AS CASE WHEN regexp_matches(s, r) THEN regexp_extract(s, r, 0) END, (s, r, g) AS CASE WHEN regexp_matches(s, r) THEN regexp_extract(s, r, g) END`,
    `CREATE OR REPLACE MACRO trino_regexp_replace(s, r) AS regexp_replace(s, r, '', 'g'), (s, r, t) AS regexp_replace(s, r, regexp_replace(t, '\\$(\\d)', '\\\\\\1', 'g'), 'g')`,
    `CREATE OR REPLACE MACRO trino_element_at(c, k) AS c[k]`,
    `CREATE OR REPLACE MACRO trino_cast_round(x DOUBLE) AS round(x), (x FLOAT) AS round(x), (x) AS x`,
    variadic('trino_greatest', (a) => `CASE WHEN ${a.map((x) => `${x} IS NULL`).join(' OR ')} THEN NULL ELSE greatest(${a.join(', ')}) END`),
    variadic('trino_least', (a) => `CASE WHEN ${a.map((x) => `${x} IS NULL`).join(' OR ')} THEN NULL ELSE least(${a.join(', ')}) END`),
    variadic('trino_concat', (a) => a.join(' || ')),
  ];
}
