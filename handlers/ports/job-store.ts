import type { JsonValue } from './idempotency';

/** A job record: what a stage that starts asynchronous work must remember until its end event. */
export type JobRecord = { readonly [key: string]: JsonValue };

/**
 * Remembers asynchronous work between the stage that starts it and the stage that announces it
 * (a refine query, a forecast transform), and orders partition rewrites.
 *
 * The end event of a query or transform names only its id, so the starter records what the job is
 * for under that id. Two jobs may rewrite the same partition; `claimPartition` lets only the job
 * that started later win, so a slow older job can never swap stale data over newer data.
 */
export interface JobStore {
  putJob(kind: string, id: string, record: JobRecord): Promise<void>;
  getJob(kind: string, id: string): Promise<JobRecord | undefined>;
  /**
   * Records `generation` (an ISO instant, the job's start) as the partition's latest writer unless a
   * later one is recorded; true when this job may write the partition.
   */
  claimPartition(table: string, partition: string, generation: string): Promise<boolean>;
  /**
   * The partitions (of those given) whose latest writer is still `generation`, in one consistent
   * read: a job that claimed them checks, before deleting other writers' files, that no later job
   * has claimed them since.
   */
  heldPartitions(table: string, partitions: readonly string[], generation: string): Promise<Set<string>>;
}
