/**
 * Runs `fn` over the items with at most `limit` calls in flight, and waits for all. Stage
 * bookkeeping (one DynamoDB write or file move per run or partition) is latency-bound, so a few
 * calls at once hide the round trips without flooding the store. Items are taken in order; after a
 * failure no new item starts, and the first failure rejects once the calls in flight settle.
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  const entries = items.entries();
  let failed = false;
  const worker = async (): Promise<void> => {
    for (const [index, item] of entries) {
      if (failed) return;
      try {
        await fn(item, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}
