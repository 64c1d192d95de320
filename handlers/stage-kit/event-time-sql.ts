import { strptimeToMysql, type EventTimeFormat } from '../../contracts/event-time-format';

/**
 * Words that cannot be a bare column name in Athena (Trino reserved words) or in the local engine
 * (DuckDB reserved words), plus the type names `date`, `time`, `timestamp`, `interval`, which start
 * typed literals. A column so named is quoted.
 */
const RESERVED = new Set(
  (
    'all alter analyse analyze and any array as asc asymmetric between both by case cast check collate column constraint create ' +
    'cross cube current_catalog current_date current_path current_role current_schema current_time current_timestamp current_user ' +
    'date deallocate default deferrable delete desc describe distinct do drop else end escape except execute exists extract false ' +
    'fetch for foreign from full grant group grouping having in initially inner insert intersect interval into is join json_array ' +
    'json_exists json_object json_query json_table json_value lateral leading left like limit listagg localtime localtimestamp natural ' +
    'normalize not null offset on only or order outer pivot placing prepare primary recursive references returning right rollup ' +
    'select skip some symmetric table then time timestamp to trailing trim true uescape union unique unnest unpivot using values ' +
    'variadic when where window with'
  ).split(' '),
);

/**
 * A catalogued column name as Athena SQL (and the local engine) must spell it: bare when it is a plain
 * lowercase identifier that is not a reserved word, else double-quoted (`"wind speed"`, `"date"`).
 */
export function columnSql(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** `try(CAST(x AS double))`, or NULL outside years 1..9999 so `from_unixtime` cannot fail. */
function epochSeconds(column: string, divisor: number): string {
  const n = `try(CAST(${column} AS double))${divisor === 1 ? '' : ` / ${divisor}e0`}`;
  return `CASE WHEN ${n} BETWEEN -62135596800e0 AND 253402300799e0 THEN CAST(from_unixtime(${n}) AT TIME ZONE 'UTC' AS timestamp) END`;
}

/**
 * The Athena (Trino) SQL expression that gives the event time of a raw row as a UTC `timestamp`,
 * NULL when the value is missing or does not parse, for the manifest's `eventTime.format`:
 *
 * - `iso8601` (the default): a date (`2012-01-31`, midnight UTC), a date and time with `T` or a space,
 *   optional fraction and offset (`2026-01-05T07:00:00+01:00` is 06:00 UTC; no offset is UTC). The
 *   column may be text or already a date/timestamp (Parquet): it is read through its text form.
 * - `epoch_seconds`, `epoch_millis`: a number, or text holding one; NULL outside years 1..9999.
 * - a strptime pattern: `date_parse` with the pattern converted to MySQL specifiers (UTC).
 *
 * `column` is SQL already (use `columnSql` for a catalogued name). The local engine
 * (infra/emulators/query) translates each form to DuckDB with the same results.
 */
export function eventTimeSql(column: string, format: EventTimeFormat = 'iso8601'): string {
  const text = `CAST(${column} AS varchar)`;
  switch (format) {
    case 'iso8601':
      return `coalesce(CAST(try(from_iso8601_timestamp(${text})) AT TIME ZONE 'UTC' AS timestamp), try(CAST(${text} AS timestamp)))`;
    case 'epoch_seconds':
      return epochSeconds(column, 1);
    case 'epoch_millis':
      return epochSeconds(column, 1000);
    default:
      return `try(date_parse(${text}, '${strptimeToMysql(format).replace(/'/g, "''")}'))`;
  }
}

/**
 * The same event time as `eventTimeSql`, in DuckDB's own dialect (the session time zone must be UTC):
 * what register-landing runs on a landed file to find its event-time range. DuckDB's strptime takes
 * the manifest's pattern as written (`%e` spelled `%-d`).
 */
export function eventTimeDuckDbSql(column: string, format: EventTimeFormat = 'iso8601'): string {
  const text = `CAST(${column} AS VARCHAR)`;
  const epoch = (divisor: number): string => {
    const n = `(TRY_CAST(${column} AS DOUBLE)${divisor === 1 ? '' : ` / ${divisor}`})`;
    return `CASE WHEN ${n} BETWEEN -62135596800 AND 253402300799 THEN to_timestamp(${n}) AT TIME ZONE 'UTC' END`;
  };
  switch (format) {
    case 'iso8601':
      return `coalesce(TRY_CAST(${text} AS TIMESTAMPTZ) AT TIME ZONE 'UTC', TRY_CAST(${text} AS TIMESTAMP))`;
    case 'epoch_seconds':
      return epoch(1);
    case 'epoch_millis':
      return epoch(1000);
    default:
      return `try_strptime(${text}, '${format.replace(/%e/g, '%-d').replace(/%T/g, '%H:%M:%S').replace(/'/g, "''")}')`;
  }
}
