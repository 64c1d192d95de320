import { z } from 'zod';
import { envelopeOf } from '../envelope';
import { AwsDetailType, AwsSource } from './constants';

/** The query states Athena reports; an event is sent (best effort) on every transition. */
export const AthenaQueryState = {
  Queued: 'QUEUED',
  Running: 'RUNNING',
  Succeeded: 'SUCCEEDED',
  Failed: 'FAILED',
  Cancelled: 'CANCELLED',
} as const;

/** One Athena query state. */
export type AthenaQueryState = (typeof AthenaQueryState)[keyof typeof AthenaQueryState];

const QueryStateSchema = z.enum([
  AthenaQueryState.Queued,
  AthenaQueryState.Running,
  AthenaQueryState.Succeeded,
  AthenaQueryState.Failed,
  AthenaQueryState.Cancelled,
]);

/** Why a query failed, present when `currentState` is FAILED. Category and type are numbers (e.g. `2.0`, `1306.0`). */
export const AthenaErrorSchema = z.looseObject({
  errorCategory: z.number(),
  errorType: z.number(),
  errorMessage: z.string(),
  retryable: z.boolean(),
});

/**
 * The detail of `Athena Query State Change`. `sequenceNumber` is a string of digits that grows with each
 * transition and repeats on duplicate deliveries, so consumers can drop stale or repeated events.
 * Loose: fields Athena adds later survive parsing.
 */
export const AthenaQueryStateChangeDetailSchema = z.looseObject({
  versionId: z.string(),
  currentState: QueryStateSchema,
  previousState: QueryStateSchema.optional(),
  statementType: z.string().min(1),
  queryExecutionId: z.string().min(1),
  workgroupName: z.string().min(1),
  sequenceNumber: z.string().regex(/^\d+$/, 'expected a string of digits'),
  athenaError: AthenaErrorSchema.optional(),
});

/** The detail of a parsed Athena query state change. */
export type AthenaQueryStateChangeDetail = z.infer<typeof AthenaQueryStateChangeDetailSchema>;

/** An `Athena Query State Change` event from `aws.athena` (`resources` is empty). */
export const AthenaQueryStateChangeEventSchema = envelopeOf(
  AwsSource.Athena,
  AwsDetailType.AthenaQueryStateChange,
  AthenaQueryStateChangeDetailSchema,
);

/** A parsed `Athena Query State Change` event. */
export type AthenaQueryStateChangeEvent = z.infer<typeof AthenaQueryStateChangeEventSchema>;
