import type { JobStore } from '../ports/job-store';
import type { ObjectStorePort } from '../ports/object-store';
import { forEachLimited } from './for-each-limited';

/** Partitions swapped at once: each is a few listings, claims and moves, all latency-bound. */
const IN_FLIGHT = 8;

/** One partition to swap: its `k=v/…` path, the staged prefix and the live prefix. */
export interface PartitionSwap {
  readonly path: string;
  readonly stagedPrefix: string;
  readonly livePrefix: string;
}

/**
 * Replaces live partitions with staged ones, whole: moves the staged files in under names carrying
 * the job id, then deletes every live file of the partition that is not this job's. Re-running after
 * a crash is safe (what was moved is already in place; only other jobs' files are deleted).
 * A partition is swapped only if this job is its latest writer (`claimPartition` by generation), and
 * before deleting, one batched read checks that no later job has claimed it since the live files were
 * listed (then only this job's files go), so an older job finishing late never replaces newer data.
 * Partitions are independent, so a few are swapped at once. Returns the paths actually swapped, in input order.
 */
export async function swapPartitions(
  deps: { objects: ObjectStorePort; jobs: JobStore },
  bucket: string,
  table: string,
  jobId: string,
  generation: string,
  swaps: readonly PartitionSwap[],
): Promise<string[]> {
  // Claim each partition and move its staged files in; then list what is live in it.
  const moved: { swap: PartitionSwap; mine: Set<string>; live: string[] }[] = [];
  await forEachLimited(swaps, IN_FLIGHT, async (swap) => {
    const staged = await deps.objects.listObjects(bucket, swap.stagedPrefix);
    if (!(await deps.jobs.claimPartition(table, swap.path, generation))) {
      for (const s of staged) await deps.objects.deleteObject(bucket, s.key);
      return;
    }
    const mine = new Set<string>();
    for (const s of staged) {
      const name = `${jobId}-${s.key.slice(swap.stagedPrefix.length).replace(/\//g, '_')}`;
      await deps.objects.moveObject({ bucket, key: s.key }, { bucket, key: `${swap.livePrefix}${name}` });
      mine.add(`${swap.livePrefix}${name}`);
    }
    const live = (await deps.objects.listObjects(bucket, swap.livePrefix)).map((l) => l.key);
    moved.push({ swap, mine, live });
  });
  // A later job may have claimed some partitions meanwhile: there this job's files go, not the others'.
  const held = await deps.jobs.heldPartitions(table, moved.map((m) => m.swap.path), generation);
  const done = new Set<string>();
  await forEachLimited(moved, IN_FLIGHT, async ({ swap, mine, live }) => {
    if (!held.has(swap.path)) {
      for (const key of mine) await deps.objects.deleteObject(bucket, key);
      return;
    }
    for (const key of live) if (!key.startsWith(`${swap.livePrefix}${jobId}-`)) await deps.objects.deleteObject(bucket, key);
    done.add(swap.path);
  });
  return swaps.map((s) => s.path).filter((p) => done.has(p));
}
