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
  /** Recorded by earlier versions (the rejects of the whole refine); `rowsRejected` holds them per run now. */
  rejectedRows: z.number().int().nonnegative().optional(),
  /**
   * Per run (aligned with `runIds`), the first and last event hour its readings feed, in hours from
   * the job's first hour (`fedHourSpans`); null for a run without events. Absent in jobs of earlier versions.
   */
  fedHours: z.array(z.tuple([z.number().int(), z.number().int()]).nullable()).optional(),
  /** When the refine started on the runs (their timelines' `running` entry). Absent in jobs of earlier versions. */
  startedAt: z.string().min(1).optional(),
  /** The job ids of every window of this refine, this one included: the refine settles when all have tallied. */
  windowJobIds: z.array(z.string().min(1)).min(1),
  /** Per run (aligned with `runIds`), the rows the engine read from its object. */
  rowsRead: z.array(z.number().int().nonnegative()),
  /** Per run (aligned with `runIds`), the rejected rows written to its rejects file. */
  rowsRejected: z.array(z.number().int().nonnegative()),
  /** Which run of the window's query this is: 1, then one more per retry after a retryable failure. Absent = 1. */
  attempt: z.number().int().positive().optional(),
  /** The backfill this window belongs to (then `runIds` is empty: it settles no run, and announces the backfill). */
  backfillId: z.string().min(1).optional(),
}).refine((job) => job.rowsRead.length === job.runIds.length && job.rowsRejected.length === job.runIds.length, { message: 'rowsRead and rowsRejected must align with runIds' });
/** A refine job. */
export type RefineJob = z.infer<typeof RefineJobSchema>;

/**
 * Where a refine window's query stages its partitions: `_staging/<dataset>/<job id>/` in the refined
 * zone, and `<job id>-a<n>/` for its n-th attempt after a retryable failure (an UNLOAD needs an empty
 * location, so a retry never writes where a failed attempt may have left files).
 */
export function refineStagingPrefix(dataset: string, jobId: string, attempt = 1): string {
  return `_staging/${dataset}/${refineAttemptKey(jobId, attempt)}/`;
}

/**
 * The attempt key (`refineAttemptKey`) of a refine window's query from its text (the staging prefix it
 * unloads to), for a query whose id was never recorded: the starter records the job under that key
 * before it starts the query and under the query id after, so a crash in between leaves the job
 * findable from the query alone.
 */
export function refineJobIdOfQuery(sql: string): string | undefined {
  return /\/_staging\/[^/']+\/(refine-[0-9a-f]+(?:-a\d+)?)\/'/.exec(sql)?.[1];
}

/** The key a refine window's attempt is recorded under before its query starts: the job id, `-a<n>` after the first. */
export function refineAttemptKey(jobId: string, attempt = 1): string {
  return attempt > 1 ? `${jobId}-a${attempt}` : jobId;
}

/**
 * The job-store kind of a staged refine window (under its job id): the job of the query attempt that
 * succeeded and its id, recorded by announce-refined when a refine of several windows has more to
 * come, so the window staged last counts and swaps them all at once (one tally query per refine).
 */
export const REFINE_STAGED = 'refine-staged';

/** A staged refine window: the job of its successful attempt and that query's id. */
export const RefineStagedSchema = z.object({ job: RefineJobSchema, queryExecutionId: z.string().min(1) });

/** The job-store kind of a refine window's tally. */
export const REFINE_TALLY = 'refine-tally';

/**
 * What one refine window wrote, recorded (kind `refine-tally`, under its job id) by announce-refined
 * before it swaps, so a retry after a crash mid-swap (when the staging is partly moved out) reuses
 * the counts instead of recounting: per raw object of the refine's runs, `[s3 URI, rows refined,
 * copies dropped as duplicates]` counted from the staged output, and the rows the query wrote. The
 * hours it swapped in are added once the swap is done; only then is the window in.
 */
export const RefineTallySchema = z.object({
  queryExecutionId: z.string().min(1),
  written: z.array(z.tuple([z.string().min(1), z.number().int().nonnegative(), z.number().int().nonnegative()])),
  rows: z.number().int().nonnegative(),
  swappedHours: z.array(z.number().int()).optional(),
});
/** A refine window's tally. */
export type RefineTally = z.infer<typeof RefineTallySchema>;

/** A forecast transform's job, recorded under its job name by forecast and read by announce-forecast. */
export const ForecastJobSchema = z.object({
  dataset: z.string().min(1),
  model: z.string().min(1),
  /** The origin partitions (their starts) the job has input records for. */
  origins: z.array(z.number().int()),
  /**
   * Every origin partition the job recomputed (those with records and those left without any), whose
   * forecast partitions it replaces. Absent in jobs of earlier versions: then `origins`.
   */
  covered: z.array(z.number().int()).optional(),
  runIds: z.array(z.string().min(1)),
  generation: z.string().min(1),
  outputPrefix: z.string().min(1),
  /** When the transform started on the runs (their timelines' `running` entry). Absent in jobs of earlier versions. */
  startedAt: z.string().min(1).optional(),
  /** The backfill whose window the job re-forecasts (its `ForecastReady` names it); absent otherwise. */
  backfillId: z.string().min(1).optional(),
});
/** A forecast job. */
export type ForecastJob = z.infer<typeof ForecastJobSchema>;

/** Parses a stored job record with its schema; a record that does not fit is poison (named). */
export function parseJob<S extends z.ZodType>(schema: S, record: JobRecord, what: string): z.output<S> {
  const parsed = schema.safeParse(record);
  if (!parsed.success) throw new PoisonInputError(`${what} is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
