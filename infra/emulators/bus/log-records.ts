import { z } from 'zod';
import { EventEnvelopeSchema } from '../../../contracts/envelope';

/**
 * Records of the bus's two logs (see {@link SegmentedLog} for the file format).
 *
 * Event log (`<home>/bus/events/`), one record per accepted event on an existing bus:
 * `{"s": seq, "at": ingestion ms, "bus": name, "d": [[ruleArn, targetId], …], "ev": envelope}`.
 * `s` increases strictly; `d` lists the deliveries the event owes, fixed when it was accepted (index
 * `i` in `d` names a delivery); `ev` is the envelope exactly as targets receive it.
 *
 * Delivery journal (`<home>/bus/journal/`), appended as deliveries settle:
 * - `{"t": "done", "s", "i"}`: delivery `i` of event `s` succeeded, or was dropped (target removed, or
 *   retries exhausted with no DLQ); never attempted again;
 * - `{"t": "att", "s", "i", "n", "r"}`: `n` attempts have failed so far and a retry is due (restores
 *   retry counts on restart); `r` is the delivery's rule ARN (absent in journals of earlier versions);
 * - `{"t": "dlq", "s", "i", "m": message}`: retries exhausted; the message is in DLQ `m.queue`. This one
 *   record both settles the delivery and enqueues the message, so a crash cannot do one without the other;
 * - `{"t": "del", "q": queue, "id": messageId}`: a DLQ message was deleted or redriven;
 * - `{"t": "base", "retried": {ruleArn: n}}`: the first record of a compacted journal: the retries of
 *   every delivery whose `att` records the compaction dropped, per rule, so retry counts outlive
 *   compaction. The `att` records before the newest `base` are all in it or written again after it.
 * A delivery is pending while its event record exists and no `done`/`dlq` record names it.
 */
export const EventRecordSchema = z.object({
  s: z.number().int().positive(),
  at: z.number(),
  bus: z.string(),
  d: z.array(z.tuple([z.string(), z.string()])),
  ev: EventEnvelopeSchema,
});

/** DLQ message attributes, as EventBridge sets them on SQS DLQ messages. */
export const DeadLetterAttributesSchema = z.object({
  RULE_ARN: z.string(),
  TARGET_ARN: z.string(),
  ERROR_CODE: z.string(),
  ERROR_MESSAGE: z.string(),
  EXHAUSTED_RETRY_CONDITION: z.string(),
  RETRY_ATTEMPTS: z.string(),
});

/** A message of a local dead-letter queue: the original event and the error attributes. */
export const DeadLetterMessageSchema = z.object({
  messageId: z.string(),
  queue: z.string(),
  sentAt: z.string(),
  targetId: z.string(),
  event: EventEnvelopeSchema,
  attributes: DeadLetterAttributesSchema,
});

/** One record of the delivery journal. */
export const JournalRecordSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('done'), s: z.number(), i: z.number() }),
  z.object({ t: z.literal('att'), s: z.number(), i: z.number(), n: z.number(), r: z.string().optional() }),
  z.object({ t: z.literal('dlq'), s: z.number(), i: z.number(), m: DeadLetterMessageSchema }),
  z.object({ t: z.literal('del'), q: z.string(), id: z.string() }),
  z.object({ t: z.literal('base'), retried: z.record(z.string(), z.number()) }),
]);

/** An event-log record. */
export type EventRecord = z.infer<typeof EventRecordSchema>;
/** A delivery-journal record. */
export type JournalRecord = z.infer<typeof JournalRecordSchema>;
/** A dead-letter message. */
export type DeadLetterMessage = z.infer<typeof DeadLetterMessageSchema>;
/** DLQ message attributes. */
export type DeadLetterAttributes = z.infer<typeof DeadLetterAttributesSchema>;

/** The key naming delivery `index` of event `seq` in the journal. */
export function deliveryKey(seq: number, index: number): string {
  return `${seq}:${index}`;
}
