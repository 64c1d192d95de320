import { z } from 'zod';
import { envelopeOf } from '../envelope';
import { DomainDetailType, TRIBUTARY_SOURCE } from './detail-types';
import { CrawledZoneSchema, DatasetNameSchema, RunIdsSchema } from './identifiers';
import { PartitionsSchema } from './partition';

/** A column as the catalog holds it: lowercase name and Glue type (`bigint`, `string`, …). */
export const CatalogColumnSchema = z.object({ name: z.string().min(1), type: z.string().min(1) });

/** The columns one crawl added to one table. */
export const TableSchemaChangeSchema = z.object({
  table: z.string().min(1),
  addedColumns: z.array(CatalogColumnSchema).min(1, 'a schema change adds at least one column'),
});

/** One table's added columns. */
export type TableSchemaChange = z.infer<typeof TableSchemaChangeSchema>;

/**
 * `TableCrawled`: a crawl of one dataset in one zone finished and the catalog is up to date.
 *
 * `partitions` are those the crawl created or updated; `runIds` are the runs whose data the crawl
 * covered (a coalesced crawl covers many; empty only for a crawl started by hand). `schemaChanged`
 * lists, per table of the crawler (a dataset's refined crawler also has its rejects table), the
 * columns this crawl added to the catalog (all of them when it created the table); empty when no
 * table's columns changed. Columns are never retyped or dropped by a crawl (`MergeNewColumns`).
 * `crawl` names the crawler run (`<crawler>@<completion time>`), the same on every delivery of the
 * crawler's event, so a consumer can act once per crawl however often the crawl is announced.
 */
export const TableCrawledDetailSchema = z
  .object({
    schemaVersion: z.literal(1),
    zone: CrawledZoneSchema,
    dataset: DatasetNameSchema,
    database: z.string().min(1),
    table: z.string().min(1),
    partitions: PartitionsSchema,
    schemaChanged: z.array(TableSchemaChangeSchema),
    crawlerName: z.string().min(1),
    runIds: RunIdsSchema,
    crawl: z.string().min(1).optional(),
  })
  .describe('A crawl of one dataset in one zone finished; the catalog table and partitions are current.');

/** The detail of a `TableCrawled` event. */
export type TableCrawledDetail = z.infer<typeof TableCrawledDetailSchema>;

/** The full `TableCrawled` event as published on the bus. */
export const TableCrawledEventSchema = envelopeOf(TRIBUTARY_SOURCE, DomainDetailType.TableCrawled, TableCrawledDetailSchema);

/** A parsed `TableCrawled` event. */
export type TableCrawledEvent = z.infer<typeof TableCrawledEventSchema>;
