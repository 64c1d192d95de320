import { z } from 'zod';
import { envelopeOf } from '../envelope';
import { DomainDetailType, TRIBUTARY_SOURCE } from './detail-types';
import { CrawledZoneSchema, DatasetNameSchema, RunIdsSchema } from './identifiers';
import { PartitionsSchema } from './partition';

/**
 * `TableCrawled`: a crawl of one dataset in one zone finished and the catalog is up to date.
 *
 * `partitions` are those the crawl created or updated; `runIds` are the runs whose data the crawl
 * covered (a coalesced crawl covers many; empty only for a crawl started by hand).
 */
export const TableCrawledDetailSchema = z
  .object({
    schemaVersion: z.literal(1),
    zone: CrawledZoneSchema,
    dataset: DatasetNameSchema,
    database: z.string().min(1),
    table: z.string().min(1),
    partitions: PartitionsSchema,
    schemaChanged: z.boolean(),
    crawlerName: z.string().min(1),
    runIds: RunIdsSchema,
  })
  .describe('A crawl of one dataset in one zone finished; the catalog table and partitions are current.');

/** The detail of a `TableCrawled` event. */
export type TableCrawledDetail = z.infer<typeof TableCrawledDetailSchema>;

/** The full `TableCrawled` event as published on the bus. */
export const TableCrawledEventSchema = envelopeOf(TRIBUTARY_SOURCE, DomainDetailType.TableCrawled, TableCrawledDetailSchema);

/** A parsed `TableCrawled` event. */
export type TableCrawledEvent = z.infer<typeof TableCrawledEventSchema>;
