import { z } from 'zod';
import { envelopeOf } from '../envelope';
import { DomainDetailType, TRIBUTARY_SOURCE } from './detail-types';
import { BackfillIdSchema } from './backfill-requested';
import { DatasetNameSchema, RunIdsSchema } from './identifiers';
import { PartitionsSchema } from './partition';

const CountSchema = z.number().int().nonnegative();

/**
 * The row accounting of the raw objects of a refine's runs (DESIGN.md invariant 7), summed over them:
 * rows read from the objects, and how each ended: refined (in the refined table with the object as
 * its source), rejected (in the rejects table with a reason), or dropped as a duplicate of a refined
 * reading. Only runs whose rows balance are announced, so the counts balance.
 */
export const RowCountsSchema = z
  .object({ read: CountSchema, refined: CountSchema, rejected: CountSchema, duplicates: CountSchema })
  .refine((c) => c.read === c.refined + c.rejected + c.duplicates, { message: 'read must equal refined + rejected + duplicates' });

/**
 * `RefinedWritten`: the refine SQL rewrote whole event-time partitions of the refined zone.
 *
 * `rows` counts the rows now in the rewritten partitions (of every object overlapping them),
 * `rejectedRows` the rows of the runs' objects the quality rules sent to the rejects table, and
 * `rowCounts` accounts for every row of the runs' objects. Rows imply partitions: `rows > 0` with no
 * partition is rejected.
 */
export const RefinedWrittenDetailSchema = z
  .object({
    schemaVersion: z.literal(1),
    dataset: DatasetNameSchema,
    partitions: PartitionsSchema,
    rows: CountSchema,
    rejectedRows: CountSchema,
    rowCounts: RowCountsSchema,
    runIds: RunIdsSchema,
    /** Set when a backfill (`BackfillRequested`) wrote these partitions; then `runIds` may be empty. */
    backfillId: BackfillIdSchema.optional(),
    queryExecutionIds: z.array(z.string().min(1)),
  })
  .refine((detail) => detail.runIds.length > 0 || detail.backfillId !== undefined, { message: 'runIds may be empty only for a backfill', path: ['runIds'] })
  .refine((detail) => detail.rows === 0 || detail.partitions.length > 0, {
    message: 'rows were written but no partition is listed',
    path: ['partitions'],
  })
  .refine((detail) => detail.rejectedRows === detail.rowCounts.rejected, {
    message: 'rejectedRows must equal rowCounts.rejected',
    path: ['rejectedRows'],
  })
  .describe('Refined partitions were rewritten from the raw data of these runs.');

/** The detail of a `RefinedWritten` event. */
export type RefinedWrittenDetail = z.infer<typeof RefinedWrittenDetailSchema>;

/** The full `RefinedWritten` event as published on the bus. */
export const RefinedWrittenEventSchema = envelopeOf(
  TRIBUTARY_SOURCE,
  DomainDetailType.RefinedWritten,
  RefinedWrittenDetailSchema,
);

/** A parsed `RefinedWritten` event. */
export type RefinedWrittenEvent = z.infer<typeof RefinedWrittenEventSchema>;
