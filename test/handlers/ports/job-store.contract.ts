import type { JobStore } from '../../../handlers/ports/job-store';

/** What a job-store adapter under test provides: a fresh, empty store and how to dispose of it. */
export interface JobStoreFixture {
  readonly store: JobStore;
  close(): Promise<void>;
}

/** The contract of the JobStore port, run by every adapter. */
export function jobStoreContract(name: string, makeStore: () => Promise<JobStoreFixture>): void {
  describe(`JobStore contract: ${name}`, () => {
    let fixture: JobStoreFixture;
    beforeEach(async () => {
      fixture = await makeStore();
    });
    afterEach(async () => {
      await fixture.close();
    });

    it('keeps a job record by kind and id, JSON values intact, and knows no other', async () => {
      const record = { dataset: 'traffic', hours: [1, 2, 3], runIds: ['run-a', 'run-b'], nested: { ok: true, none: null }, rows: 0 };
      await fixture.store.putJob('refine', 'q-1', record);
      expect(await fixture.store.getJob('refine', 'q-1')).toEqual(record);
      expect(await fixture.store.getJob('forecast', 'q-1')).toBeUndefined();
      expect(await fixture.store.getJob('refine', 'q-2')).toBeUndefined();
    });

    it('replaces a job recorded again under the same id', async () => {
      await fixture.store.putJob('refine', 'q-1', { n: 1 });
      await fixture.store.putJob('refine', 'q-1', { n: 2 });
      expect(await fixture.store.getJob('refine', 'q-1')).toEqual({ n: 2 });
    });

    it('lets a partition be claimed only by the latest or an equal generation', async () => {
      const { store } = fixture;
      expect(await store.claimPartition('traffic', 'year=2026/hour=01', '2026-01-01T00:00:02.000Z')).toBe(true);
      expect(await store.claimPartition('traffic', 'year=2026/hour=01', '2026-01-01T00:00:01.000Z')).toBe(false);
      expect(await store.claimPartition('traffic', 'year=2026/hour=01', '2026-01-01T00:00:02.000Z')).toBe(true);
      expect(await store.claimPartition('traffic', 'year=2026/hour=01', '2026-01-01T00:00:03.000Z')).toBe(true);
      expect(await store.claimPartition('traffic', 'year=2026/hour=01', '2026-01-01T00:00:02.000Z')).toBe(false);
      expect(await store.claimPartition('traffic', 'year=2026/hour=02', '2026-01-01T00:00:01.000Z')).toBe(true);
      expect(await store.claimPartition('forecast/traffic', 'year=2026/hour=01', '2026-01-01T00:00:01.000Z')).toBe(true);
    });

    it('lets exactly one of two concurrent claims with different generations win last', async () => {
      const { store } = fixture;
      const gens = ['2026-01-01T00:00:05.000Z', '2026-01-01T00:00:04.000Z'];
      await Promise.all(gens.map((g) => store.claimPartition('traffic', 'p', g)));
      expect(await store.claimPartition('traffic', 'p', '2026-01-01T00:00:04.500Z')).toBe(false);
    });
  });
}
