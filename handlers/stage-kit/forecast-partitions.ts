import type { JobStore } from '../ports/job-store';
import type { ObjectStorePort } from '../ports/object-store';
import type { RunStore } from '../ports/run-store';
import type { LakeTopology } from '../stage-deps';
import { forEachLimited } from './for-each-limited';
import { partitionOfHour, partitionPath } from './hours';
import { swapPartitions } from './swap-partitions';

/** Staged partition files written at once: each is one small object put. */
const IN_FLIGHT = 8;

/** What one forecast job replaces: every origin it covers, with the rows it has for some of them. */
export interface ForecastReplacement {
  readonly dataset: string;
  /** The dataset's partition keys (`year, month[, day[, hour]]`). */
  readonly keys: readonly string[];
  /** The job's name: its staging prefix and the prefix of its live files. */
  readonly jobName: string;
  /** The job's generation (taken before it read the refined table): the newest job wins each origin. */
  readonly generation: string;
  /** Every origin partition (its start) the job recomputed from complete inputs, with or without rows. */
  readonly origins: readonly number[];
  /** JSON lines per origin partition; an origin covered without rows has no series with data any more. */
  readonly rows: ReadonlyMap<number, readonly string[]>;
}

/** The origins a replacement changed: rewritten with rows, or removed (they had files); and the rows written. */
export interface ForecastReplaced {
  readonly written: number[];
  readonly removed: number[];
  readonly rows: number;
}

/** The ordering key of forecast partitions in the job store. */
export function forecastTable(dataset: string): string {
  return `forecast/${dataset}`;
}

/**
 * Makes the forecast partitions of every origin a job covers exactly the job's output: an origin
 * with rows is replaced whole by them, an origin without rows loses whatever an earlier job wrote
 * there. The rows are staged under the job's `_transform/<name>/partitions/` prefix and swapped in
 * by generation (`swapPartitions`), so an older job that finishes after a newer one changes nothing
 * the newer one covers, and a crash before the swap ends is repaired by running it again. With this,
 * a forecast partition is a function of the refined partitions its origin reads, not of which jobs ran.
 */
export async function replaceForecastPartitions(
  deps: { objects: ObjectStorePort; jobs: JobStore; runs: RunStore; topology: LakeTopology },
  job: ForecastReplacement,
): Promise<ForecastReplaced> {
  const bucket = deps.topology.buckets.forecast;
  const origins = [...new Set([...job.origins, ...job.rows.keys()])].sort((a, b) => a - b);
  const swaps = origins.map((origin) => {
    const path = partitionPath(partitionOfHour(origin, job.keys), job.keys);
    return { origin, path, stagedPrefix: `_transform/${job.jobName}/partitions/${path}/`, livePrefix: `${job.dataset}/${path}/` };
  });
  // An origin without rows is still swapped (claimed, so no older job can write it later); it counts
  // as removed only if it had files.
  const hadFiles = new Set<number>();
  await forEachLimited(swaps, IN_FLIGHT, async (swap) => {
    const rows = job.rows.get(swap.origin) ?? [];
    if (rows.length > 0) await deps.objects.putObject(bucket, `${swap.stagedPrefix}forecast.jsonl`, rows.join('\n') + '\n');
    else if ((await deps.objects.listObjects(bucket, swap.livePrefix)).length > 0) hadFiles.add(swap.origin);
  });
  const swapped = new Set(await swapPartitions(deps, bucket, forecastTable(job.dataset), job.jobName, job.generation, swaps));
  const written: number[] = [];
  const removed: number[] = [];
  let rows = 0;
  for (const swap of swaps) {
    if (!swapped.has(swap.path)) continue;
    const count = job.rows.get(swap.origin)?.length ?? 0;
    if (count === 0) {
      if (hadFiles.has(swap.origin)) removed.push(swap.origin);
      continue;
    }
    await deps.runs.recordForecastLineage({ dataset: job.dataset, partition: swap.path, outputs: [`s3://${bucket}/${swap.livePrefix}`] });
    written.push(swap.origin);
    rows += count;
  }
  return { written, removed, rows };
}
