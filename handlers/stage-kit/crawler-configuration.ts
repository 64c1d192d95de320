/**
 * The Glue crawler `Configuration` every crawler of the pipeline has, on AWS (the CDK app) and
 * locally (`ensureCrawler`):
 * - one table per dataset folder, whatever the key layout below it (root files, Firehose hour folders,
 *   hive `k=v` folders, mixed): `TableLevelConfiguration: 1` puts every table root at the bucket's
 *   top-level folders, which are the dataset folders (`<dataset>/`, `<dataset>_rejects/`), and
 *   `CombineCompatibleSchemas` keeps a file with new columns in the same table;
 * - add new columns, never retype one (`MergeNewColumns`), partitions inherit the table's schema, so
 *   one bad file cannot change a table for every other (research note §1.6).
 * Level 1 follows Glue's documentation ("the level for the top level folder is 1", counted from the
 * bucket); the note marks whether the bucket itself counts as a level VERIFY.
 */
export const CRAWLER_CONFIGURATION = JSON.stringify({
  Version: 1.0,
  Grouping: { TableGroupingPolicy: 'CombineCompatibleSchemas', TableLevelConfiguration: 1 },
  CrawlerOutput: { Tables: { AddOrUpdateBehavior: 'MergeNewColumns' }, Partitions: { AddOrUpdateBehavior: 'InheritFromTable' } },
});
