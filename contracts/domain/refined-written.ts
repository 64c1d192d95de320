import { z } from 'zod';
import { envelopeOf } from '../envelope';
import { DomainDetailType, TRIBUTARY_SOURCE } from './detail-types';
import { DatasetNameSchema, RunIdsSchema } from './identifiers';
import { PartitionsSchema } from './partition';

const CountSchema = z.number().int().nonnegative();

/**
 * `RefinedWritten`: the refine SQL rewrote whole event-time partitions of the refined zone.
 *
 * `rows` counts the rows now in the rewritten partitions, `rejectedRows` the rows the quality rules
 * sent to quarantine. Rows imply partitions: `rows > 0` with no partition is rejected.
 */
export const RefinedWrittenDetailSchema = z
  .object({
    schemaVersion: z.literal(1),
    dataset: DatasetNameSchema,
    partitions: PartitionsSchema,
    rows: CountSchema,
    rejectedRows: CountSchema,
    runIds: RunIdsSchema.min(1),
    queryExecutionIds: z.array(z.string().min(1)),
  })
  .refine((detail) => detail.rows === 0 || detail.partitions.length > 0, {
    message: 'rows were written but no partition is listed',
    path: ['partitions'],
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
