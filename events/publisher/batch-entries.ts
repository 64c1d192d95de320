/** EventBridge accepts at most this many entries in one PutEvents request. */
export const MAX_ENTRIES_PER_REQUEST = 10;

/**
 * Splits entry positions into PutEvents requests, keeping input order: a request holds at most 10
 * entries and the sum of their sizes never exceeds `maxRequestBytes`. Every entry must fit alone
 * (callers report the ones that do not before batching).
 */
export function batchEntries(indices: readonly number[], sizes: readonly number[], maxRequestBytes: number): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let currentBytes = 0;
  for (const index of indices) {
    const size = sizes[index] ?? 0;
    if (current.length === MAX_ENTRIES_PER_REQUEST || (current.length > 0 && currentBytes + size > maxRequestBytes)) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(index);
    currentBytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
