import { z } from 'zod';
import { envelopeOf } from '../envelope';
import { DomainDetailType, TRIBUTARY_SOURCE } from './detail-types';
import { BackfillIdSchema } from './backfill-requested';
import { DatasetNameSchema, RunIdsSchema } from './identifiers';
import { PartitionsSchema } from './partition';

/**
 * `ForecastReady`: a batch transform wrote forecast partitions for a dataset.
 *
 * `model` names the exact model that produced them (so a forecast can be traced and reproduced);
 * `rows` implies partitions, as for `RefinedWritten`.
 */
export const ForecastReadyDetailSchema = z
  .object({
    schemaVersion: z.literal(1),
    dataset: DatasetNameSchema,
    partitions: PartitionsSchema,
    model: z.object({ name: z.string().min(1), version: z.string().min(1) }),
    rows: z.number().int().nonnegative(),
    runIds: RunIdsSchema,
    /** Set when a backfill (`BackfillRequested`) wrote these partitions; then `runIds` may be empty. */
    backfillId: BackfillIdSchema.optional(),
    transformJobName: z.string().min(1),
  })
  .refine((detail) => detail.runIds.length > 0 || detail.backfillId !== undefined, { message: 'runIds may be empty only for a backfill', path: ['runIds'] })
  .refine((detail) => detail.rows === 0 || detail.partitions.length > 0, {
    message: 'rows were written but no partition is listed',
    path: ['partitions'],
  })
  .describe('Forecast partitions were written by a batch transform for these runs.');

/** The detail of a `ForecastReady` event. */
export type ForecastReadyDetail = z.infer<typeof ForecastReadyDetailSchema>;

/** The full `ForecastReady` event as published on the bus. */
export const ForecastReadyEventSchema = envelopeOf(TRIBUTARY_SOURCE, DomainDetailType.ForecastReady, ForecastReadyDetailSchema);

/** A parsed `ForecastReady` event. */
export type ForecastReadyEvent = z.infer<typeof ForecastReadyEventSchema>;
