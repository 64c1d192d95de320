import type { Dataset } from '../ports/dataset-store';
import type { SqlSource } from '../sql/bind-sql';
import { sqlOf } from './dataset-sql';

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
