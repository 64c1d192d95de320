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

    it('tells which partitions a generation still holds: not those a later one claimed, nor unclaimed ones', async () => {
      const { store } = fixture;
      const [early, late] = ['2026-01-01T00:00:01.000Z', '2026-01-01T00:00:02.000Z'];
      for (const p of ['h=01', 'h=02', 'h=03']) expect(await store.claimPartition('traffic', p, early)).toBe(true);
      expect(await store.claimPartition('traffic', 'h=02', late)).toBe(true);
      expect(await store.claimPartition('forecast/traffic', 'h=03', late)).toBe(true);
      expect(await store.heldPartitions('traffic', ['h=01', 'h=02', 'h=03', 'h=04'], early)).toEqual(new Set(['h=01', 'h=03']));
      expect(await store.heldPartitions('traffic', ['h=02', 'h=02'], late)).toEqual(new Set(['h=02']));
      expect(await store.heldPartitions('traffic', [], early)).toEqual(new Set());
      const many = Array.from({ length: 150 }, (_, i) => `h=${String(i).padStart(3, '0')}`);
      for (const p of many) await store.claimPartition('wide', p, early);
      expect((await store.heldPartitions('wide', many, early)).size).toBe(150);
    });

    it('lets exactly one of two concurrent claims with different generations win last', async () => {
      const { store } = fixture;
      const gens = ['2026-01-01T00:00:05.000Z', '2026-01-01T00:00:04.000Z'];
      await Promise.all(gens.map((g) => store.claimPartition('traffic', 'p', g)));
      expect(await store.claimPartition('traffic', 'p', '2026-01-01T00:00:04.500Z')).toBe(false);
    });
  });
}
