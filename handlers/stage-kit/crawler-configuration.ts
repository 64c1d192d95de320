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

/** The custom classifiers the raw crawler of a dataset of this raw format names (none for the others). */
export function rawClassifiersOf(format: string): string[] {
  return format === 'json' ? [JSON_ARRAY_CLASSIFIER.Name] : [];
}

/**
 * The crawlers' schema-change policy: update the table (under `MergeNewColumns`: add columns, change
 * partition keys, never retype), and delete what vanished (a partition swap replaces data whole).
 */
export const CRAWLER_SCHEMA_CHANGE_POLICY = { UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'DELETE_FROM_DATABASE' } as const;
