import { z } from 'zod';
import { IsoDateTimeSchema } from './identifiers';

/** The span of event times found in an object, both ends inclusive; `from` is not after `to`. */
export const EventTimeRangeSchema = z
  .object({ from: IsoDateTimeSchema, to: IsoDateTimeSchema })
  .refine((range) => Date.parse(range.from) <= Date.parse(range.to), {
    message: 'from must not be after to',
    path: ['from'],
  });

/**
 * One object in a lake zone, identified as S3 identifies it. `etag` is S3's (unquoted, as in the
 * EventBridge notification) and together with `key` makes a landing idempotent: the same key
 * re-uploaded with new bytes is a new landing, a duplicate notification is not.
 */
export const LakeObjectSchema = z.object({
  bucket: z.string().min(1),
  key: z.string().min(1),
  etag: z.string().min(1),
  size: z.number().int().nonnegative(),
  versionId: z.string().min(1).optional(),
  eventTimeRange: EventTimeRangeSchema.optional(),
});

/** A parsed lake object reference. */
export type LakeObject = z.infer<typeof LakeObjectSchema>;
