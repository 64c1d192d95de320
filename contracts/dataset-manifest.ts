import { z } from 'zod';
import { parseContract } from './contract-violation-error';
import { DatasetNameSchema } from './domain/identifiers';

/** A column name as the raw data and the SQL spell it (unquoted SQL identifier). */
const ColumnSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a column identifier (letters, digits, _)');

/** A lowercase identifier: partition keys and rule names (Glue lowercases partition keys). */
const LowerIdentifierSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lowercase identifier');

/** True for a relative `/`-separated path with no `..`, `.` or empty segment (one trailing `/` allowed when `prefix`). */
function isRelativePath(p: string, prefix: boolean): boolean {
  const body = prefix && p.endsWith('/') ? p.slice(0, -1) : p;
  if (body === '' || body.startsWith('/') || body.includes('\\') || /^[A-Za-z]:/.test(body)) return false;
  return !body.split('/').some((s) => s === '..' || s === '.' || s === '');
}

/** A path inside the dataset folder: relative, `/`-separated, no `..`, `.` or empty segment. */
const RelativePathSchema = z
  .string()
  .refine((p) => isRelativePath(p, false), 'expected a path relative to the dataset folder (no leading /, no "..", "." or empty segment)');

/** A key prefix in the raw zone, such as `traffic/`: relative, no `..`, `.` or empty segment. */
const KeyPrefixSchema = z
  .string()
  .refine((p) => isRelativePath(p, true), 'expected a relative key prefix such as "traffic/" (no leading /, no "..", "." or empty segment)');

/** How raw event times are written: ISO-8601 text, epoch seconds/millis, or a strptime pattern (contains `%`). */
const EventTimeFormatSchema = z
  .string()
  .refine((f) => ['iso8601', 'epoch_seconds', 'epoch_millis'].includes(f) || f.includes('%'), {
    message: 'expected "iso8601", "epoch_seconds", "epoch_millis" or a strptime pattern such as "%Y-%m-%d %H:%M:%S"',
  });

/** How many partition keys each partitioning granularity takes (year, month, day[, hour]). */
const KEYS_PER_GRANULARITY = { day: 3, hour: 4 } as const;

const PartitioningSchema = z
  .strictObject({
    by: z.enum(['hour', 'day']),
    keys: z.array(LowerIdentifierSchema).min(1),
  })
  .superRefine((partitioning, ctx) => {
    const expected = KEYS_PER_GRANULARITY[partitioning.by];
    if (partitioning.keys.length !== expected) {
      const example = expected === 4 ? 'year, month, day, hour' : 'year, month, day';
      ctx.addIssue({
        code: 'custom',
        path: ['keys'],
        message: `partitioning by ${partitioning.by} takes ${expected} keys (e.g. ${example}), got ${partitioning.keys.length}`,
      });
    }
    if (new Set(partitioning.keys).size !== partitioning.keys.length) {
      ctx.addIssue({ code: 'custom', path: ['keys'], message: 'partition keys must be unique' });
    }
  });

const QualityRuleSchema = z.strictObject({
  name: LowerIdentifierSchema,
  predicate: z.string().trim().min(1),
  reason: z.string().min(1),
});

/** The JSON type a raw column must have when present and not null (checked when a file lands). */
const RawColumnTypeSchema = z.enum(['string', 'number', 'integer', 'boolean']);

/** A `.sql` file inside the dataset folder. */
const SqlFileSchema = RelativePathSchema.refine((p) => p.endsWith('.sql'), 'expected a .sql file');

/** A forecast step duration: `<count><unit>`, unit m(inutes), h(ours), d(ays), w(eeks) or mo(nths). */
const EverySchema = z.string().regex(/^[1-9][0-9]*(m|h|d|w|mo)$/, 'expected a duration such as "15m", "1h", "1d", "1w" or "1mo"');

/** Columns every forecast row has; a group-by column may not take one of these names. */
const FORECAST_COLUMNS = ['origin_time', 'target_time', 'step', 'prediction', 'model', 'model_version'];

const ForecastSchema = z
  .strictObject({
    target: ColumnSchema,
    groupBy: z.array(ColumnSchema),
    every: EverySchema,
    horizon: z.number().int().positive().max(10_000),
    season: z.number().int().positive().max(100_000).optional(),
    inputSql: SqlFileSchema.optional(),
  })
  .superRefine((f, ctx) => {
    f.groupBy.forEach((c, i) => {
      if (FORECAST_COLUMNS.includes(c.toLowerCase())) ctx.addIssue({ code: 'custom', path: ['groupBy', i], message: `${c} is a column of the forecast table itself (${FORECAST_COLUMNS.join(', ')})` });
    });
    if (new Set(f.groupBy.map((c) => c.toLowerCase())).size !== f.groupBy.length) ctx.addIssue({ code: 'custom', path: ['groupBy'], message: 'group-by columns must be unique' });
  });

/** A stage deadline in minutes: a positive number. */
const DeadlineMinutesSchema = z.number().positive();

/**
 * The manifest of a dataset, `sql/<name>/manifest.json`: everything the pipeline needs to land, refine
 * and forecast it, so adding a dataset needs no TypeScript. Strict: an unknown key is an error, so a
 * typo cannot silently disable a setting.
 *
 * - `raw.keyPrefix`: where the dataset lands in the raw zone; absent means `<name>/`.
 * - `raw.columns`: the JSON type each named raw column must have when present and not null
 *   (names compared case-insensitively, as Glue lowercases them); a file with a value of another
 *   type is quarantined whole, because one such value would change the crawled table's schema.
 * - `partitioning`: event-time partitioning of refined/forecast data; `keys` name the year, month,
 *   day[, hour] partition columns in that order (3 keys for `day`, 4 for `hour`).
 * - `lookback`: how much earlier data the refine reads so window functions are exact at partition
 *   edges: `minutes` of event time, and optionally at most `rows` preceding rows per group.
 * - `quality`: each rule is a SQL boolean `predicate` over a raw row; rows where it is not true are
 *   rejected to quarantine with `reason`. Names are unique.
 * - `forecast`: the `target` column, the `groupBy` columns (one series per group; empty for one
 *   series), the step duration `every` (`15m`, `1h`, `1d`, `1w`, `1mo`), the `horizon` in steps, the
 *   `season` in steps (default from the step: 96 for 15m, 24 for 1h, 7 for 1d, 12 for 1mo), and
 *   optionally `inputSql`: the SELECT over the refined table that yields the group-by columns, `time`
 *   and `value` for an event-time window (generated from the other settings when absent).
 * - `refine.sql`, `refine.rejectsSql`, `views.dir`: paths relative to the dataset folder; the rejects
 *   SQL selects the invalid rows with their reason for the rejects table.
 * - `deadlines`: minutes a run of this dataset may wait on each stage (`register-landing`,
 *   `announce-crawl` — the raw crawl —, `refine`, `forecast`) before the watchdog fails it as
 *   `stalled`; a stage not named keeps the realisation's deadline.
 */
export const DatasetManifestSchema = z.strictObject({
  name: DatasetNameSchema,
  description: z.string().min(1),
  raw: z.strictObject({
    format: z.enum(['jsonl', 'csv', 'parquet']),
    keyPrefix: KeyPrefixSchema.optional(),
    columns: z.record(ColumnSchema, RawColumnTypeSchema).optional(),
  }),
  eventTime: z.strictObject({ column: ColumnSchema, format: EventTimeFormatSchema.optional() }),
  partitioning: PartitioningSchema,
  lookback: z.strictObject({
    minutes: z.number().int().nonnegative(),
    rows: z.number().int().positive().optional(),
  }),
  quality: z
    .array(QualityRuleSchema)
    .refine((rules) => new Set(rules.map((r) => r.name)).size === rules.length, 'quality rule names must be unique'),
  forecast: ForecastSchema.optional(),
  refine: z.strictObject({
    sql: SqlFileSchema,
    rejectsSql: SqlFileSchema.optional(),
  }),
  views: z.strictObject({ dir: RelativePathSchema }).optional(),
  deadlines: z
    .strictObject({
      'register-landing': DeadlineMinutesSchema.optional(),
      'announce-crawl': DeadlineMinutesSchema.optional(),
      refine: DeadlineMinutesSchema.optional(),
      forecast: DeadlineMinutesSchema.optional(),
    })
    .optional(),
});

/** A parsed dataset manifest. */
export type DatasetManifest = z.infer<typeof DatasetManifestSchema>;

/**
 * Validates a parsed manifest.json value; throws a ContractViolationError naming each offending path
 * (e.g. `partitioning.keys: partitioning by hour takes 4 keys …`), labelled with `source` (the file).
 */
export function parseDatasetManifest(value: unknown, source = 'dataset manifest'): DatasetManifest {
  return parseContract(DatasetManifestSchema, value, source);
}
