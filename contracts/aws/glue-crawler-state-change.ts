import { z } from 'zod';
import { envelopeOf } from '../envelope';
import { AwsDetailType, AwsSource } from './constants';

/** The crawler states that `Glue Crawler State Change` reports (title case, unlike job states; no event for a cancel). */
export const GlueCrawlerState = {
  Started: 'Started',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
} as const;

/** One crawler event state. */
export type GlueCrawlerState = (typeof GlueCrawlerState)[keyof typeof GlueCrawlerState];

/** Glue sends every counter as a string of digits (`"tablesCreated":"0"`), never as a number. */
const CounterSchema = z.string().regex(/^\d+$/, 'expected a string of digits');

const common = {
  crawlerName: z.string().min(1),
  accountId: z.string().min(1).optional(),
  message: z.string().optional(),
  cloudWatchLogLink: z.string().optional(),
};

const StartedSchema = z.looseObject({
  ...common,
  state: z.literal(GlueCrawlerState.Started),
  startTime: z.string().optional(),
});

const SucceededSchema = z.looseObject({
  ...common,
  state: z.literal(GlueCrawlerState.Succeeded),
  tablesCreated: CounterSchema,
  tablesUpdated: CounterSchema,
  tablesDeleted: CounterSchema,
  partitionsCreated: CounterSchema,
  partitionsUpdated: CounterSchema,
  partitionsDeleted: CounterSchema,
  'runningTime (sec)': CounterSchema,
  completionDate: z.string().optional(),
  warningMessage: z.string().optional(),
});

const FailedSchema = z.looseObject({
  ...common,
  state: z.literal(GlueCrawlerState.Failed),
  errorMessage: z.string(),
});

/**
 * The detail of `Glue Crawler State Change`, by `state`: Started (name, start time), Succeeded (the six
 * table/partition counters and `runningTime (sec)`, all strings) or Failed (`errorMessage`, no counters).
 * Loose: fields Glue adds later survive parsing.
 */
export const GlueCrawlerStateChangeDetailSchema = z.discriminatedUnion('state', [StartedSchema, SucceededSchema, FailedSchema]);

/** The detail of a parsed crawler state change. */
export type GlueCrawlerStateChangeDetail = z.infer<typeof GlueCrawlerStateChangeDetailSchema>;

/** A `Glue Crawler State Change` event from `aws.glue` (`resources` is empty for crawlers). */
export const GlueCrawlerStateChangeEventSchema = envelopeOf(
  AwsSource.Glue,
  AwsDetailType.GlueCrawlerStateChange,
  GlueCrawlerStateChangeDetailSchema,
);

/** A parsed `Glue Crawler State Change` event. */
export type GlueCrawlerStateChangeEvent = z.infer<typeof GlueCrawlerStateChangeEventSchema>;
