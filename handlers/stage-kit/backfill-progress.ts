import { z } from 'zod';
import type { JobStore } from '../ports/job-store';
import { parseJob, REFINE_TALLY, RefineTallySchema } from './job-records';

/** The job-store kind of a backfill's record. */
export const BACKFILL_JOB = 'backfill';

/**
 * What a backfill started, recorded under its id by the backfill stage: the dataset, how many
 * partitions its window covers, and each refine window's job id with its partition count (none for a
 * forecast-only backfill, which starts a forecast of the window's origins instead).
 */
export const BackfillJobSchema = z.object({
  dataset: z.string().min(1),
  from: z.string().min(1),
  to: z.string().min(1),
  forecastOnly: z.boolean(),
  partitions: z.number().int().nonnegative(),
  windows: z.array(z.tuple([z.string().min(1), z.number().int().nonnegative()])),
});
/** A backfill's record. */
export type BackfillJob = z.infer<typeof BackfillJobSchema>;

/** A backfill's progress: partitions refined (swapped in) of its total; undefined until its stage has run. */
export interface BackfillProgress {
  readonly dataset: string;
  readonly done: number;
  readonly total: number;
  readonly forecastOnly: boolean;
}

/** How far a backfill is: the partitions of the windows whose tallies are in (swapped), of all its partitions. */
export async function backfillProgress(jobs: JobStore, backfillId: string): Promise<BackfillProgress | undefined> {
  const record = await jobs.getJob(BACKFILL_JOB, backfillId);
  if (!record) return undefined;
  const job = parseJob(BackfillJobSchema, record, `backfill ${backfillId}`);
  let done = 0;
  for (const [jobId, partitions] of job.windows) {
    const tally = await jobs.getJob(REFINE_TALLY, jobId);
    if (tally && parseJob(RefineTallySchema, tally, `tally of refine window ${jobId}`).swappedHours !== undefined) done += partitions;
  }
  return { dataset: job.dataset, done, total: job.partitions, forecastOnly: job.forecastOnly };
}
