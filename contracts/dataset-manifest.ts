import { hasControlCharacter } from './control-characters';
import { z } from 'zod';
import { parseContract } from './contract-violation-error';
import { DatasetNameSchema } from './domain/identifiers';
import { EventTimeFormatSchema } from './event-time-format';
import { parseScheduleExpression } from './schedule-expression';


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

/** True for a column name as a raw file may spell it: any case, spaces allowed; no control characters, no edge space. */
function isRawColumnName(c: string): boolean {
  return c !== '' && !hasControlCharacter(c) && c.trim() === c;
}

const RAW_COLUMN_NAME_MESSAGE = 'expected a column name as in the file (not empty, no control characters, no leading or trailing space)';

/** A column name as the catalog holds it: the file's name lowercased, as Glue does (spaces allowed). */
const CatalogColumnNameSchema = z
  .string()
  .min(1)
  .refine(isRawColumnName, RAW_COLUMN_NAME_MESSAGE)
  .refine((c) => c === c.toLowerCase(), 'expected the column name as catalogued (lowercase, as Glue names it)');

/** A refined column a forecast reads: named as the catalog has it or in any case, spaces allowed (the SQL quotes it). */
const RefinedColumnSchema = z.string().refine(isRawColumnName, RAW_COLUMN_NAME_MESSAGE);

/** The raw file formats: JSON lines, a JSON array of objects, CSV, Parquet (a `.gz` key is gzip, except Parquet). */
export const RAW_FORMATS = ['jsonl', 'json', 'csv', 'parquet'] as const;

/** A raw file format. */
export type RawFormat = (typeof RAW_FORMATS)[number];

/** One character (a CSV delimiter, quote or escape). */
const CharSchema = z.string().length(1, 'expected exactly one character');

/**
 * How CSV raw files are written, as Glue's CSV classifier and Athena's OpenCSVSerDe read them:
 * `header` (first line names the columns; default true), `delimiter` (default `,`), `quote`
 * (default `"`), `escape` (default: the quote, so a quote inside a quoted field is doubled, RFC 4180,
 * as the local engine reads an OpenCSVSerDe table whose `escapeChar` is not set).
 */
const CsvOptionsSchema = z.strictObject({
  header: z.boolean().optional(),
  delimiter: CharSchema.optional(),
  quote: CharSchema.optional(),
  escape: CharSchema.optional(),
});

/** CSV options with every default filled in. */
export interface CsvOptions {
  readonly header: boolean;
  readonly delimiter: string;
  readonly quote: string;
  readonly escape: string;
}

/** The grains refined data can be partitioned by. */
export const PARTITION_GRAINS = ['hour', 'day', 'month'] as const;

/** A partition grain. */
export type PartitionGrain = (typeof PARTITION_GRAINS)[number];

/** How many partition keys each partitioning granularity takes (year, month[, day[, hour]]). */
export const KEYS_PER_GRANULARITY: Readonly<Record<PartitionGrain, number>> = { month: 2, day: 3, hour: 4 };

const KEY_EXAMPLES: Readonly<Record<PartitionGrain, string>> = { month: 'year, month', day: 'year, month, day', hour: 'year, month, day, hour' };

const PartitioningSchema = z
  .strictObject({
    by: z.enum(PARTITION_GRAINS),
    keys: z.array(LowerIdentifierSchema).min(1),
  })
  .superRefine((partitioning, ctx) => {
    const expected = KEYS_PER_GRANULARITY[partitioning.by];
    if (partitioning.keys.length !== expected) {
      ctx.addIssue({
        code: 'custom',
        path: ['keys'],
        message: `partitioning by ${partitioning.by} takes ${expected} keys (e.g. ${KEY_EXAMPLES[partitioning.by]}), got ${partitioning.keys.length}`,
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
    target: RefinedColumnSchema,
    groupBy: z.array(RefinedColumnSchema),
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

/** A batch trigger: an EventBridge ScheduleExpression (`rate(1 hour)`, `cron(0 * * * ? *)`, UTC), checked by the bus's parser. */
const TriggerSchema = z.strictObject({
  schedule: z.string().refine((s) => parseScheduleExpression(s) !== undefined, 'expected an EventBridge schedule expression such as "rate(1 hour)" or "cron(0 * * * ? *)" (six fields, UTC, ? in day-of-month or day-of-week)'),
});

/** A stage deadline in minutes: a positive number. */
const DeadlineMinutesSchema = z.number().positive();

/**
 * The manifest of a dataset, `sql/<name>/manifest.json`: everything the pipeline needs to land, refine
 * and forecast it, so adding a dataset needs no TypeScript. Strict: an unknown key is an error, so a
 * typo cannot silently disable a setting.
 *
 * - `raw.keyPrefix`: where the dataset lands in the raw zone; absent means `<name>/`.
 * - `raw.format`: `jsonl`, `json` (one array of objects), `csv` or `parquet`; a key ending `.gz` is
 *   gzip-compressed (not Parquet), read as Athena reads it. `raw.csv`: CSV options (csv only).
 * - `raw.columns`: the type each raw column (named as in the file: any case, spaces allowed) must
 *   have when present and not null (names compared case-insensitively, as Glue lowercases them); a
 *   file with a value of another type is quarantined whole, because one such value would change the
 *   crawled table's schema.
 * - `eventTime`: the event-time column as catalogued (lowercase) and its format (default `iso8601`);
 *   `eventTimeSql` (handlers/stage-kit/event-time-sql.ts) turns both into the Athena expression.
 * - `partitioning`: event-time partitioning of refined/forecast data by `hour`, `day` or `month`;
 *   `keys` name the year, month[, day[, hour]] partition columns in that order (2, 3 or 4 keys).
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
 * - `trigger`: absent, each landing requests its raw crawl (and so its refine) at once; with
 *   `{ "schedule": "rate(1 hour)" }` (or a `cron(...)`), landings are registered as they come and
 *   one raw crawl and refine run on each tick of the schedule over every run landed since (a batch
 *   trigger: one crawl per tick instead of one per landing).
 */
export const DatasetManifestSchema = z.strictObject({
  name: DatasetNameSchema,
  description: z.string().min(1),
  raw: z
    .strictObject({
      format: z.enum(RAW_FORMATS),
      keyPrefix: KeyPrefixSchema.optional(),
      csv: CsvOptionsSchema.optional(),
      columns: z.record(z.string(), RawColumnTypeSchema).optional(),
    })
    .superRefine((raw, ctx) => {
      if (raw.csv !== undefined && raw.format !== 'csv') ctx.addIssue({ code: 'custom', path: ['csv'], message: `csv options apply to format "csv" only, format is "${raw.format}"` });
      const seen = new Map<string, string>();
      for (const name of Object.keys(raw.columns ?? {})) {
        if (!isRawColumnName(name)) ctx.addIssue({ code: 'custom', path: ['columns'], message: `${RAW_COLUMN_NAME_MESSAGE}, got ${JSON.stringify(name)}` });
        const other = seen.get(name.toLowerCase());
        if (other !== undefined) ctx.addIssue({ code: 'custom', path: ['columns'], message: `columns ${JSON.stringify(other)} and ${JSON.stringify(name)} are one column once lowercased as Glue does` });
        seen.set(name.toLowerCase(), name);
      }
    }),
  eventTime: z.strictObject({ column: CatalogColumnNameSchema, format: EventTimeFormatSchema.optional() }),
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
  trigger: TriggerSchema.optional(),
});

/** A parsed dataset manifest. */
export type DatasetManifest = z.infer<typeof DatasetManifestSchema>;

/** The CSV options of a manifest with every default filled in (Glue's defaults; doubled quotes as the engine reads OpenCSVSerDe). */
export function csvOptions(manifest: Pick<DatasetManifest, 'raw'>): CsvOptions {
  const csv = manifest.raw.csv ?? {};
  const quote = csv.quote ?? '"';
  return { header: csv.header ?? true, delimiter: csv.delimiter ?? ',', quote, escape: csv.escape ?? quote };
}

/**
 * Validates a parsed manifest.json value; throws a ContractViolationError naming each offending path
 * (e.g. `partitioning.keys: partitioning by hour takes 4 keys …`), labelled with `source` (the file).
 */
export function parseDatasetManifest(value: unknown, source = 'dataset manifest'): DatasetManifest {
  return parseContract(DatasetManifestSchema, value, source);
}
