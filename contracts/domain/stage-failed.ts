import { z } from 'zod';
import { envelopeOf } from '../envelope';
import { DomainDetailType, TRIBUTARY_SOURCE } from './detail-types';
import { DatasetNameSchema, IsoDateTimeSchema, RunIdSchema, RunIdsSchema, ZoneSchema } from './identifiers';
import { LakeObjectSchema } from './lake-object';

/**
 * What kind of failure a `StageFailed` reports, so alerts can be routed without parsing messages:
 * bad input data (poison), a mistake in a dataset's configuration (its manifest or SQL: a person must
 * fix the file named in the message), a failed dependency (crawler, query, transform, store), a
 * timeout, a delivery that exhausted its retries (DLQ), a defect in our own code, rows a refine
 * could not account for (`accounting`), or a run that stopped moving (`stalled`: the watchdog found
 * it waiting on a stage past that stage's deadline, or not done when nothing was left to run), or a
 * landed file that lost or retyped a column its dataset declares (`schema`).
 */
export const ErrorClass = {
  Input: 'input',
  Configuration: 'configuration',
  Dependency: 'dependency',
  Timeout: 'timeout',
  Delivery: 'delivery',
  Internal: 'internal',
  Stalled: 'stalled',
  /** A refine's rows of a raw object do not balance: read ≠ refined + rejected + duplicates (DESIGN.md invariant 7). */
  Accounting: 'accounting',
  /**
   * A landed file lacks a column its manifest declares (`raw.columns`), or holds it with another type:
   * refining it would lose or reject its rows, so it is quarantined before any is read.
   */
  Schema: 'schema',
} as const;

/** One error class. */
export type ErrorClass = (typeof ErrorClass)[keyof typeof ErrorClass];

/**
 * `StageFailed`: a stage could not do its work. Every failure is one of these, and it carries all an
 * operator needs: stage, dataset, run(s), object, error class and name, message, whether the bus will
 * retry, and `inspect`, the CLI command that inspects or redrives it (e.g. `tributary runs show <runId>`).
 *
 * `runId` is set when the failure concerns one landing; `runIds` when a batch stage (refine, forecast)
 * was working for several runs.
 */
export const StageFailedDetailSchema = z
  .object({
    schemaVersion: z.literal(1),
    stage: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a kebab-case stage id'),
    dataset: DatasetNameSchema.optional(),
    zone: ZoneSchema.optional(),
    runId: RunIdSchema.optional(),
    runIds: RunIdsSchema.optional(),
    object: LakeObjectSchema.optional(),
    errorClass: z.enum([
      ErrorClass.Input,
      ErrorClass.Configuration,
      ErrorClass.Dependency,
      ErrorClass.Timeout,
      ErrorClass.Delivery,
      ErrorClass.Internal,
      ErrorClass.Stalled,
      ErrorClass.Accounting,
      ErrorClass.Schema,
    ]),
    errorName: z.string().min(1),
    message: z.string().min(1),
    retryable: z.boolean(),
    inspect: z.string().min(1),
    occurredAt: IsoDateTimeSchema,
  })
  .describe('A stage failed; names the stage, dataset, runs, object, error and the command to inspect or redrive it.');

/** The detail of a `StageFailed` event. */
export type StageFailedDetail = z.infer<typeof StageFailedDetailSchema>;

/** The full `StageFailed` event as published on the bus. */
export const StageFailedEventSchema = envelopeOf(TRIBUTARY_SOURCE, DomainDetailType.StageFailed, StageFailedDetailSchema);

/** A parsed `StageFailed` event. */
export type StageFailedEvent = z.infer<typeof StageFailedEventSchema>;
