import { z } from 'zod';
import type { JobRecord } from '../ports/job-store';
import { PoisonInputError } from './stage-error';

/** A refine query's job, recorded under its query id by refine and read by announce-refined. */
export const RefineJobSchema = z.object({
  dataset: z.string().min(1),
  jobId: z.string().min(1),
  stagingPrefix: z.string().min(1),
  hours: z.array(z.number().int()),
  runIds: z.array(z.string().min(1)),
  generation: z.string().min(1),
  rejectedRows: z.number().int().nonnegative(),
  /**
   * Per run (aligned with `runIds`), the first and last event hour its readings feed, in hours from
   * the job's first hour (`fedHourSpans`); null for a run without events. Absent in jobs of earlier versions.
   */
  fedHours: z.array(z.tuple([z.number().int(), z.number().int()]).nullable()).optional(),
  /** When the refine started on the runs (their timelines' `running` entry). Absent in jobs of earlier versions. */
  startedAt: z.string().min(1).optional(),
});
/** A refine job. */
export type RefineJob = z.infer<typeof RefineJobSchema>;

/** A forecast transform's job, recorded under its job name by forecast and read by announce-forecast. */
export const ForecastJobSchema = z.object({
  dataset: z.string().min(1),
  model: z.string().min(1),
  /** The origin hours the job has input records for. */
  origins: z.array(z.number().int()),
  /**
   * Every origin hour the job recomputed (those with records and those left without any), whose
   * forecast partitions it replaces. Absent in jobs of earlier versions: then `origins`.
   */
  covered: z.array(z.number().int()).optional(),
  runIds: z.array(z.string().min(1)),
  generation: z.string().min(1),
  outputPrefix: z.string().min(1),
  /** When the transform started on the runs (their timelines' `running` entry). Absent in jobs of earlier versions. */
  startedAt: z.string().min(1).optional(),
});
/** A forecast job. */
export type ForecastJob = z.infer<typeof ForecastJobSchema>;

/** Parses a stored job record with its schema; a record that does not fit is poison (named). */
export function parseJob<S extends z.ZodType>(schema: S, record: JobRecord, what: string): z.output<S> {
  const parsed = schema.safeParse(record);
  if (!parsed.success) throw new PoisonInputError(`${what} is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
