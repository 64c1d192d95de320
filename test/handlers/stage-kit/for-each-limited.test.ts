import { forEachLimited } from '../../../handlers/stage-kit/for-each-limited';

describe('forEachLimited', () => {
  it('visits every item once with at most `limit` calls in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachLimited([...Array(40).keys()], 4, async (item, index) => {
      expect(index).toBe(item);
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1 + (item % 3)));
      seen.push(item);
      inFlight--;
    });
    expect(peak).toBe(4);
    expect([...seen].sort((a, b) => a - b)).toEqual([...Array(40).keys()]);
  });

  it('rejects with the first failure and starts no item after it', async () => {
    const started: number[] = [];
    const failure = await forEachLimited([...Array(20).keys()], 2, async (item) => {
      started.push(item);
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (item === 3) throw new Error('item 3 failed');
    }).catch((e: unknown) => e);
    expect(failure).toEqual(new Error('item 3 failed'));
    expect(Math.max(...started)).toBeLessThan(6);
  });

  it('does nothing for no items', async () => {
    await expect(forEachLimited([], 8, () => Promise.reject(new Error('never')))).resolves.toBeUndefined();
  });
});
