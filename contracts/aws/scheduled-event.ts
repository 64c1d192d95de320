import { z } from 'zod';
import { envelopeOf } from '../envelope';

/** The source and detail-type of the event an EventBridge schedule rule sends its target. */
export const SCHEDULED_EVENT_SOURCE = 'aws.events';
/** The detail-type of a schedule rule's event. */
export const SCHEDULED_EVENT_DETAIL_TYPE = 'Scheduled Event';

/**
 * `Scheduled Event`: what a schedule rule (`rate(…)`, `cron(…)`) delivers to its target; the detail is
 * `{}` and `resources` names the rule. A stage started on a schedule (the watchdog) reads only the time.
 */
export const ScheduledEventSchema = envelopeOf(SCHEDULED_EVENT_SOURCE, SCHEDULED_EVENT_DETAIL_TYPE, z.looseObject({}));

/** A parsed scheduled event. */
export type ScheduledEvent = z.infer<typeof ScheduledEventSchema>;
