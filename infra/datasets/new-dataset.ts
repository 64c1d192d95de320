import { mkdir, readdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ConfigurationError } from '../../contracts/configuration-error';
import { PipelineError } from '../../contracts/pipeline-error';
import { DatasetNameSchema } from '../../contracts/domain/identifiers';
import { EventTimeFormatSchema } from '../../contracts/event-time-format';
import { eventTimeMs } from '../../handlers/stage-kit/event-time-value';
import type { PartitionGrain } from '../../contracts/dataset-manifest';
import { datasetFolderFiles, LINEAGE_COLUMNS, type DatasetSpec, type RawColumnType, type SpecColumn } from './dataset-template';
import { inferSample, type SampleColumn } from './infer-sample';

/** What `tributary dataset new` was asked for. */
export interface NewDatasetRequest {
  readonly name: string;
  readonly from: string;
  /** Output folder (the dataset folder itself). */
  readonly dir: string;
  readonly eventTime: string;
  readonly timeFormat?: string;
  readonly grain?: PartitionGrain;
  readonly forecast?: { readonly target: string; readonly groupBy: readonly string[]; readonly every: string; readonly horizon: number };
}

/** What was written: the folder, its files, and the sample columns left out (nested types the raw contract cannot declare). */
export interface NewDatasetResult {
  readonly dir: string;
  readonly files: readonly string[];
  readonly spec: DatasetSpec;
  readonly leftOut: readonly SampleColumn[];
}

/** A bad `dataset new` request (a column the file lacks, a folder that exists …): never retryable. */
export class NewDatasetError extends PipelineError {
  constructor(message: string) {
    super(message, { retryable: false });
  }
}

const DURATION = /^[1-9]\d*(m|h|d|w|mo)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

/**
 * Writes a dataset folder from a sample file: the columns and types the crawler infers, the event
 * time's format (given, or guessed from the values: ISO-8601 text, epoch seconds or milliseconds),
 * the grain (given, else `day` for dates without a time of day, else `hour`), quality rules,
 * refine/rejects SQL and a view (see {@link datasetFolderFiles}). Refuses to write into a folder that
 * is not empty, so nothing a person wrote is overwritten.
 */
export async function newDataset(request: NewDatasetRequest): Promise<NewDatasetResult> {
  const name = DatasetNameSchema.safeParse(request.name);
  if (!name.success) throw new NewDatasetError(`dataset name ${JSON.stringify(request.name)}: ${name.error.issues[0]?.message ?? 'invalid'}`);
  if ((await readdir(request.dir).catch(() => [])).length > 0) throw new NewDatasetError(`${request.dir} already exists and is not empty; choose another name or --dir`);
  const sample = await inferSample(request.from).catch((err: unknown) => {
    throw err instanceof ConfigurationError ? new NewDatasetError(err.message) : err;
  });
  try {
    const leftOut = sample.columns.filter((c) => rawTypeOf(c.glueType) === undefined);
    const columns: SpecColumn[] = sample.columns.flatMap((c) => {
      const type = rawTypeOf(c.glueType);
      return type === undefined ? [] : [{ name: c.name, catalogued: c.catalogued, type }];
    });
    for (const c of columns) if ((LINEAGE_COLUMNS as readonly string[]).includes(c.catalogued)) throw new NewDatasetError(`column ${JSON.stringify(c.name)} is named like a lineage column the refine adds; rename it in the file`);
    const find = (option: string, wanted: string): SpecColumn => {
      const found = columns.find((c) => c.catalogued === wanted.toLowerCase());
      if (found === undefined) throw new NewDatasetError(`${option} ${JSON.stringify(wanted)} is not a column of ${path.basename(request.from)} (columns: ${columns.map((c) => c.name).join(', ')})`);
      return found;
    };
    const eventColumn = find('--event-time', request.eventTime);
    const values = await sample.values(eventColumn.catalogued);
    const format = request.timeFormat ?? guessTimeFormat(eventColumn, values);
    const checked = EventTimeFormatSchema.safeParse(format);
    if (!checked.success) throw new NewDatasetError(`--time-format ${JSON.stringify(format)}: ${checked.error.issues[0]?.message ?? 'invalid'}`);
    const unparsed = values.find((v) => eventTimeMs(v, checked.data) === undefined);
    if (unparsed !== undefined) throw new NewDatasetError(`--time-format ${JSON.stringify(format)} does not parse ${JSON.stringify(unparsed)}, a value of --event-time ${JSON.stringify(eventColumn.name)} in the sample (every such row would be rejected); pass the strptime pattern its values are written in`);
    const forecast = request.forecast;
    if (forecast) {
      const target = find('--forecast', forecast.target);
      if (target.type !== 'number' && target.type !== 'integer') throw new NewDatasetError(`--forecast ${JSON.stringify(forecast.target)} is a ${target.type} column; the forecast target must be numeric`);
      for (const by of forecast.groupBy) find('--by', by);
      if (!DURATION.test(forecast.every)) throw new NewDatasetError(`--every ${JSON.stringify(forecast.every)}: expected a duration such as 15m, 1h, 1d, 1w, 1mo`);
    }
    const spec: DatasetSpec = {
      name: name.data,
      source: path.basename(request.from),
      format: sample.format,
      ...(sample.csv ? { csv: sample.csv } : {}),
      columns,
      eventTime: { column: eventColumn.catalogued, format },
      grain: request.grain ?? (format === 'iso8601' && values.length > 0 && values.every((v) => ISO_DATE.test(v)) ? 'day' : 'hour'),
      ...(forecast ? { forecast: { target: find('--forecast', forecast.target).catalogued, groupBy: forecast.groupBy.map((b) => find('--by', b).catalogued), every: forecast.every, horizon: forecast.horizon } } : {}),
    };
    const files = datasetFolderFiles(spec);
    for (const [rel, text] of files) {
      await mkdir(path.dirname(path.join(request.dir, rel)), { recursive: true });
      await writeFile(path.join(request.dir, rel), text, { flag: 'wx' });
    }
    return { dir: request.dir, files: [...files.keys()], spec, leftOut };
  } finally {
    await sample.close();
  }
}

/** The raw type the manifest declares for a Glue type; undefined for nested types (arrays, structs, maps). */
function rawTypeOf(glueType: string): RawColumnType | undefined {
  if (/^(tinyint|smallint|int|integer|bigint)$/.test(glueType)) return 'integer';
  if (/^(float|double|decimal.*)$/.test(glueType)) return 'number';
  if (glueType === 'boolean') return 'boolean';
  if (/^(array|struct|map)</.test(glueType)) return undefined;
  return 'string';
}

/** The event-time format the sample's values are written in, or a clear error asking for --time-format. */
function guessTimeFormat(column: SpecColumn, values: readonly string[]): string {
  if (values.length === 0) throw new NewDatasetError(`--event-time ${JSON.stringify(column.name)} has no values in the sample; pass --time-format`);
  if (column.type === 'integer' || column.type === 'number') {
    const largest = Math.max(...values.map((v) => Math.abs(Number(v))));
    return largest >= 1e11 ? 'epoch_millis' : 'epoch_seconds';
  }
  const bad = values.find((v) => !ISO_TIME.test(v.trim()));
  if (bad !== undefined) throw new NewDatasetError(`--event-time ${JSON.stringify(column.name)} holds ${JSON.stringify(bad)}, which is not ISO-8601; pass --time-format with its strptime pattern (e.g. "%Y/%m/%d %H:%M")`);
  return 'iso8601';
}
