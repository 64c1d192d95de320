import { z } from 'zod';
import { envelopeOf } from '../envelope';
import { DomainDetailType, TRIBUTARY_SOURCE } from './detail-types';
import { DatasetNameSchema, RunIdSchema } from './identifiers';
import { LakeObjectSchema } from './lake-object';

/**
 * `RawLanded`: a raw object was registered as a new run. Published once per distinct landing
 * (bucket, key, etag); duplicate S3 notifications of the same bytes do not produce a second one.
 */
export const RawLandedDetailSchema = z
  .object({
    schemaVersion: z.literal(1),
    runId: RunIdSchema,
    dataset: DatasetNameSchema,
    object: LakeObjectSchema,
  })
  .describe('A raw object was registered as a new pipeline run.');

/** The detail of a `RawLanded` event. */
export type RawLandedDetail = z.infer<typeof RawLandedDetailSchema>;

/** The full `RawLanded` event as published on the bus. */
export const RawLandedEventSchema = envelopeOf(TRIBUTARY_SOURCE, DomainDetailType.RawLanded, RawLandedDetailSchema);

/** A parsed `RawLanded` event. */
export type RawLandedEvent = z.infer<typeof RawLandedEventSchema>;
