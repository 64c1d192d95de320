import { z } from 'zod';
import { envelopeOf } from '../envelope';
import { DomainDetailType, TRIBUTARY_SOURCE } from './detail-types';
import { DatasetNameSchema } from './identifiers';

/** A backfill's id: names its refine windows and its announcements (`RefinedWritten.backfillId`, `ForecastReady.backfillId`). */
export const BackfillIdSchema = z.string().regex(/^backfill-[0-9a-z-]{1,100}$/, 'expected a backfill id such as "backfill-2026-03-02t08-3f2a9c"');

/**
 * `BackfillRequested`: someone asked to recompute an event-time window of a dataset through the
 * current rules (its refine SQL, then its forecast; or, with `forecastOnly`, only the forecast of the
 * window's origins). `from` is inclusive, `to` exclusive (ISO instants); the window covers every
 * partition of the dataset's grain that starts in it or contains `from`. Each request is one
 * backfill, repeatable: the same window twice gives the same tables.
 */
export const BackfillRequestedDetailSchema = z
  .object({
    schemaVersion: z.literal(1),
    backfillId: BackfillIdSchema,
    dataset: DatasetNameSchema,
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    forecastOnly: z.boolean(),
  })
  .refine((d) => Date.parse(d.from) < Date.parse(d.to), { message: 'from must be before to', path: ['to'] })
  .describe('A backfill of an event-time window of a dataset was requested.');

/** The detail of a `BackfillRequested` event. */
export type BackfillRequestedDetail = z.infer<typeof BackfillRequestedDetailSchema>;

/** The full `BackfillRequested` event as published on the bus. */
export const BackfillRequestedEventSchema = envelopeOf(TRIBUTARY_SOURCE, DomainDetailType.BackfillRequested, BackfillRequestedDetailSchema);

/** A parsed `BackfillRequested` event. */
export type BackfillRequestedEvent = z.infer<typeof BackfillRequestedEventSchema>;
