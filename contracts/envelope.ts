import { z } from 'zod';

/**
 * The EventBridge event envelope, as every target receives it (service events and ours alike).
 *
 * Keys are declared in the order AWS serialises them (`version, id, detail-type, source, account,
 * time, region, [replay-name], resources, detail`), and zod outputs keys in declaration order, so a
 * parsed envelope re-serialises the way EventBridge would deliver it. `replay-name` is present only on
 * events re-sent by a replay. `detail` must be a JSON object (PutEvents rejects strings and arrays).
 */
export const EventEnvelopeSchema = z.object({
  version: z.literal('0'),
  id: z.string().min(1),
  'detail-type': z.string().min(1).max(128),
  source: z.string().min(1),
  account: z.string().regex(/^\d{12}$/, 'expected a 12-digit account id'),
  time: z.iso.datetime(),
  region: z.string().min(1),
  'replay-name': z.string().min(1).optional(),
  resources: z.array(z.string().min(1)),
  detail: z.record(z.string(), z.unknown()),
});

/** A parsed EventBridge envelope with an untyped detail object. */
export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;

/**
 * Builds the envelope schema of one event type: `source` and `detail-type` pinned to literals and
 * `detail` checked by `detailSchema`. Used for our domain events and for the AWS service events, so
 * every event contract shares exactly the same envelope rules and key order.
 */
export function envelopeOf<Source extends string, DetailType extends string, Detail extends z.ZodType>(
  source: Source,
  detailType: DetailType,
  detailSchema: Detail,
) {
  return EventEnvelopeSchema.extend({
    'detail-type': z.literal(detailType),
    source: z.literal(source),
    detail: detailSchema,
  });
}
