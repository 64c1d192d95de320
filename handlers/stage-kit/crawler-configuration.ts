import { csvOptions, type DatasetManifest } from '../../contracts/dataset-manifest';

/**
 * The Glue crawler `Configuration` every crawler of the pipeline has, on AWS (the CDK app) and
 * locally (`ensureCrawler`):
 * - one table per dataset folder, whatever the key layout below it (root files, Firehose hour folders,
 *   hive `k=v` folders, mixed): `TableLevelConfiguration: 1` puts every table root at the bucket's
 *   top-level folders, which are the dataset folders (`<dataset>/`, `<dataset>_rejects/`), and
 *   `CombineCompatibleSchemas` keeps a file with new columns in the same table;
 * - add new columns, never retype one (`MergeNewColumns` under `UPDATE_IN_DATABASE`), partitions
 *   inherit the table's schema, so one bad file cannot retype a table for every other (research note
 *   §1.6); a change of layout (root files joining hour folders) does change the partition keys, so
 *   the table reads the same rows whatever order its files arrived in.
 * Level 1 follows Glue's documentation ("the level for the top level folder is 1", counted from the
 * bucket); the note marks whether the bucket itself counts as a level VERIFY.
 */
export const CRAWLER_CONFIGURATION = JSON.stringify({
  Version: 1.0,
  Grouping: { TableGroupingPolicy: 'CombineCompatibleSchemas', TableLevelConfiguration: 1 },
  CrawlerOutput: { Tables: { AddOrUpdateBehavior: 'MergeNewColumns' }, Partitions: { AddOrUpdateBehavior: 'InheritFromTable' } },
});

/**
 * The custom JSON classifier (Glue `CreateClassifier` `JsonClassifier`) of datasets whose raw files
 * hold one JSON array of objects (`raw.format: "json"`): `JsonPath` `$[*]` makes each element a row;
 * Glue's built-in JSON classifier reads JSON lines only. The raw crawler of such a dataset names it.
 */
export const JSON_ARRAY_CLASSIFIER = { Name: 'tributary-json-array', JsonPath: '$[*]' } as const;

/**
 * A custom CSV classifier (Glue `CsvClassifier`) with the dataset's dialect, so the raw table has the
 * manifest's header, delimiter and quote whatever Glue's built-in heuristics would guess (an all-text
 * file's header row is data to them). Its name spells the settings (`tributary-csv-present-2c-22`:
 * header present, delimiter 0x2c, quote 0x22), so crawlers of datasets with the same dialect share it.
 */
export interface CsvClassifier {
  readonly Name: string;
  readonly ContainsHeader: 'PRESENT' | 'ABSENT';
  readonly Delimiter: string;
  readonly QuoteSymbol: string;
}

const hex = (c: string): string => (c.codePointAt(0) ?? 0).toString(16).padStart(2, '0');
const CSV_CLASSIFIER_NAME = /^tributary-csv-(present|absent)-([0-9a-f]{2,6})-([0-9a-f]{2,6})$/;

/** The custom CSV classifier of a dialect. */
export function csvClassifierOf(csv: { readonly header: boolean; readonly delimiter: string; readonly quote: string }): CsvClassifier {
  return { Name: `tributary-csv-${csv.header ? 'present' : 'absent'}-${hex(csv.delimiter)}-${hex(csv.quote)}`, ContainsHeader: csv.header ? 'PRESENT' : 'ABSENT', Delimiter: csv.delimiter, QuoteSymbol: csv.quote };
}

/** The custom CSV classifier a name stands for, or undefined when it names none. */
export function csvClassifierNamed(name: string): CsvClassifier | undefined {
  const m = CSV_CLASSIFIER_NAME.exec(name);
  if (!m) return undefined;
  const char = (h: string | undefined): string => String.fromCodePoint(Number.parseInt(h ?? '0', 16));
  return csvClassifierOf({ header: m[1] === 'present', delimiter: char(m[2]), quote: char(m[3]) });
}

/** The custom classifiers the raw crawler of a dataset names: JSON arrays' `$[*]`, CSV's dialect, none for the others. */
export function rawClassifiersOf(manifest: Pick<DatasetManifest, 'raw'>): string[] {
  if (manifest.raw.format === 'json') return [JSON_ARRAY_CLASSIFIER.Name];
  if (manifest.raw.format === 'csv') return [csvClassifierOf(csvOptions(manifest)).Name];
  return [];
}

/**
 * The crawlers' schema-change policy: update the table (under `MergeNewColumns`: add columns, change
 * partition keys, never retype), and delete what vanished (a partition swap replaces data whole).
 */
export const CRAWLER_SCHEMA_CHANGE_POLICY = { UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'DELETE_FROM_DATABASE' } as const;
