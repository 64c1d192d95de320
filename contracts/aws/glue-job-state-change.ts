import { z } from 'zod';
import { envelopeOf } from '../envelope';
import { AwsDetailType, AwsSource } from './constants';

/** The terminal job-run states that `Glue Job State Change` reports (running states come as `Glue Job Run Status`). */
export const GlueJobState = {
  Succeeded: 'SUCCEEDED',
  Failed: 'FAILED',
  Timeout: 'TIMEOUT',
  Stopped: 'STOPPED',
} as const;

/** One Glue job event state. */
export type GlueJobState = (typeof GlueJobState)[keyof typeof GlueJobState];

/** The severity Glue attaches to a job state change (`STOPPED` is INFO). */
export const GlueJobSeverity = { Info: 'INFO', Warn: 'WARN', Error: 'ERROR' } as const;

/** One Glue job event severity. */
export type GlueJobSeverity = (typeof GlueJobSeverity)[keyof typeof GlueJobSeverity];

/** The detail of `Glue Job State Change`. Loose: fields Glue adds later survive parsing. */
export const GlueJobStateChangeDetailSchema = z.looseObject({
  jobName: z.string().min(1),
  severity: z.enum([GlueJobSeverity.Info, GlueJobSeverity.Warn, GlueJobSeverity.Error]),
  state: z.enum([GlueJobState.Succeeded, GlueJobState.Failed, GlueJobState.Timeout, GlueJobState.Stopped]),
  jobRunId: z.string().min(1),
  message: z.string(),
});

/** The detail of a parsed Glue job state change. */
export type GlueJobStateChangeDetail = z.infer<typeof GlueJobStateChangeDetailSchema>;

/** A `Glue Job State Change` event from `aws.glue` (for a refine implemented as a Glue ETL job). */
export const GlueJobStateChangeEventSchema = envelopeOf(AwsSource.Glue, AwsDetailType.GlueJobStateChange, GlueJobStateChangeDetailSchema);

/** A parsed `Glue Job State Change` event. */
export type GlueJobStateChangeEvent = z.infer<typeof GlueJobStateChangeEventSchema>;
