import type { Dataset } from '../ports/dataset-store';
import type { SqlSource } from '../sql/bind-sql';
import type { StepGrid } from '../forecast-model/step-grid';
import { sqlOf } from './dataset-sql';
import { nextPartitionStart, partitionStart, sqlTime, type PartitionGrain } from './forecast-origins';
import { partitionOfHour } from './hours';

/** The refined tables' event-time column (a UTC timestamp), which the generated forecast input filters and buckets on. */
export const REFINED_EVENT_TIME = 'eventtime';

/** A column name as the catalog spells it (lowercase), quoted as an SQL identifier. */
function quoted(column: string): string {
  return `"${column.toLowerCase().replace(/"/g, '""')}"`;
}

/**
 * The forecast input SELECT of a dataset: its `forecast.inputSql` when the manifest names one, else
 * generated from the manifest — the group-by columns (as text), `time` (the event time as text) and
 * `value` (the target as a double) of the refined rows in the window `[:window_start, :window_end)`
 * whose target is not null, ordered by series and time. Either way the output columns are the
 * group-by columns, `time` and `value`.
 */
export function forecastInputSource(dataset: Dataset, refinedDatabase: string): SqlSource {
  const settings = dataset.manifest.forecast;
  if (settings === undefined) throw new RangeError(`dataset ${dataset.manifest.name} has no forecast`);
  if (settings.inputSql !== undefined) return sqlOf(dataset, 'forecastInputSql');
  const groups = settings.groupBy.map((c) => `CAST(${quoted(c)} AS varchar) AS ${quoted(c)}`);
  const time = quoted(REFINED_EVENT_TIME);
  const sql = [
    `SELECT ${[...groups, `CAST(${time} AS varchar) AS "time"`, `CAST(${quoted(settings.target)} AS double) AS "value"`].join(', ')}`,
    `FROM ${quoted(refinedDatabase)}.${quoted(dataset.manifest.name)}`,
    `WHERE ${time} >= CAST(:window_start AS timestamp) AND ${time} < CAST(:window_end AS timestamp) AND ${quoted(settings.target)} IS NOT NULL`,
    `ORDER BY ${[...settings.groupBy.map((_, i) => String(i + 1)), String(groups.length + 1), String(groups.length + 2)].join(', ')}`,
  ].join('\n');
  return { file: `${dataset.files.manifest} (forecast input generated from forecast.target, groupBy)`, sql };
}

/** The partition keys' values of every partition of `grain` overlapping `[from, to)` (epoch ms), grouped for an SQL filter. */
function partitionFilter(keys: readonly string[], grain: PartitionGrain, from: number, to: number): string {
  // Each group fixes every key but the last; the last key takes a list of values.
  const groups = new Map<string, { fixed: string[]; last: string[] }>();
  for (let start = partitionStart(from, grain); start < to; start = nextPartitionStart(start, grain)) {
    const partition = partitionOfHour(start, keys);
    const values = keys.map((k) => partition[k] ?? '');
    const fixed = values.slice(0, -1);
    const group = groups.get(fixed.join('/')) ?? { fixed, last: [] };
    group.last.push(values[values.length - 1] ?? '');
    groups.set(fixed.join('/'), group);
  }
  const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;
  const lastKey = keys[keys.length - 1] ?? '';
  const clauses = [...groups.values()].map((g) => `(${[...g.fixed.map((v, i) => `${quoted(keys[i] ?? '')} = ${literal(v)}`), `${quoted(lastKey)} IN (${g.last.map(literal).join(', ')})`].join(' AND ')})`);
  return clauses.length === 0 ? 'false' : clauses.join(' OR ');
}

/** The start (epoch seconds, as Trino SQL over a timestamp column) of the step of the grid holding each row's time. */
function stepStartSql(time: string, grid: StepGrid): string {
  if (grid.unit === 'mo') {
    const month = `date_trunc('month', ${time})`;
    return grid.count === 1 ? `to_unixtime(${month})` : `to_unixtime(date_add('month', -(((year(${time}) * 12 + month(${time}) - 1) % ${grid.count})), ${month}))`;
  }
  // Minute, hour, day and week steps have a fixed length and are aligned to the epoch (weeks to its first Monday).
  const seconds = (grid.start(1) - grid.start(0)) / 1000;
  const offset = grid.start(0) / 1000;
  return `floor((to_unixtime(${time}) - ${offset}) / ${seconds}) * ${seconds} + ${offset}`;
}

/** The start (epoch seconds, as Trino SQL) of the partition of `grain` holding each row's time. */
function partitionStartSql(time: string, grain: PartitionGrain): string {
  if (grain === 'month') return `to_unixtime(date_trunc('month', ${time}))`;
  const seconds = grain === 'day' ? 86_400 : 3_600;
  return `floor(to_unixtime(${time}) / ${seconds}) * ${seconds}`;
}

/**
 * Target values a step piece sums as `decimal(38, 12)` lie within ±1e20, so a piece of a million
 * readings stays inside the decimal's 26 integer digits; larger values (and NaN, ±Infinity, which no
 * decimal holds) are left out of the forecast input.
 */
export const MAX_FORECAST_VALUE = '1e20';

/**
 * The generated forecast input for one forecast job, read as the model reads it: per series and
 * "piece" — the part of a step inside one partition (a step that crosses a partition boundary has a
 * piece on each side, so an origin partition still reads only the data before its end) — the piece's
 * start (epoch seconds), the sum of its target values and their count. The sum is exact: each value
 * is cast to `decimal(38, 12)` and decimals add without rounding, so the step means do not depend on
 * the order the engine's parallel workers add the rows in, and the engine returns a row per piece
 * instead of every value. It reads only the partitions overlapping the
 * window `[from, to)` (the changed ones, the origins they feed and one season of lookback before
 * them), named by their partition keys so the engine skips every other partition's files. Undefined
 * when the manifest names its own `inputSql` (read row by row with {@link forecastInputSource}).
 */
export function forecastPieceInputSql(dataset: Dataset, refinedDatabase: string, window: { readonly from: number; readonly to: number }, grid: StepGrid): string | undefined {
  const settings = dataset.manifest.forecast;
  if (settings === undefined) throw new RangeError(`dataset ${dataset.manifest.name} has no forecast`);
  if (settings.inputSql !== undefined) return undefined;
  const { keys, by } = dataset.manifest.partitioning;
  const time = quoted(REFINED_EVENT_TIME);
  const value = `CAST(${quoted(settings.target)} AS double)`;
  const groups = settings.groupBy.map((c) => `CAST(${quoted(c)} AS varchar) AS ${quoted(c)}`);
  const piece = `CAST(greatest(${stepStartSql(time, grid)}, ${partitionStartSql(time, by)}) AS bigint)`;
  const ordinals = [...groups, piece].map((_, i) => String(i + 1)).join(', ');
  return [
    `SELECT ${[...groups, `${piece} AS "piece"`, `sum(CAST(${value} AS decimal(38, 12))) AS "sum"`, 'count(*) AS "count"'].join(', ')}`,
    `FROM ${quoted(refinedDatabase)}.${quoted(dataset.manifest.name)}`,
    `WHERE (${partitionFilter(keys, by, window.from, window.to)})`,
    `AND ${time} >= CAST('${sqlTime(window.from)}' AS timestamp) AND ${time} < CAST('${sqlTime(window.to)}' AS timestamp) AND ${value} BETWEEN -${MAX_FORECAST_VALUE} AND ${MAX_FORECAST_VALUE}`,
    `GROUP BY ${ordinals}`,
    `ORDER BY ${ordinals}`,
  ].join('\n');
}
