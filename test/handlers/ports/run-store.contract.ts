import { IndexedRunStates, StageStatus, type LandingInput, type RunStore } from '../../../handlers/ports/run-store';
import { InvalidRunStateInputError, RunConflictError, RunNotFoundError } from '../../../handlers/ports/run-store-errors';

/** What a run-store adapter under test provides: a fresh, empty store and how to dispose of it. */
export interface RunStoreFixture {
  readonly store: RunStore;
  close(): Promise<void>;
}

const hour = (h: number, m = 0): string => new Date(Date.UTC(2026, 10, 20, h, m)).toISOString();

function landing(runId: string, overrides: Partial<LandingInput> = {}): LandingInput {
  return {
    runId,
    dataset: 'traffic',
    object: { bucket: 'tributary-raw', key: `traffic/2026/11/20/${runId}.json`, etag: `etag-${runId}`, size: 100 },
    landedAt: hour(12),
    ...overrides,
  };
}

const boom = { errorClass: 'RefineError', message: 'column speed is not a number', retryable: false };

/**
 * The contract of the RunStore port. Every adapter runs it: the DynamoDB adapter against dynalite
 * now, and against a mocked SDK in the AWS issue. `makeStore` returns a fresh, empty store.
 */
export function runStoreContract(name: string, makeStore: () => Promise<RunStoreFixture>): void {
  describe(`RunStore contract: ${name}`, () => {
    let fixture: RunStoreFixture;
    let store: RunStore;
    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });
    afterEach(async () => fixture.close());

    it('records a landing once; a duplicate is reported, a different object under the same id is a conflict', async () => {
      expect(await store.recordLanding(landing('r1'))).toEqual({ created: true });
      expect(await store.recordLanding(landing('r1'))).toEqual({ created: false });
      const other = landing('r1', { object: { bucket: 'tributary-raw', key: 'x.json', etag: 'e2', size: 1 } });
      await expect(store.recordLanding(other)).rejects.toThrow(RunConflictError);
      const detail = await store.getRun('r1');
      expect(detail?.run).toMatchObject({ runId: 'r1', dataset: 'traffic', object: landing('r1').object, landedAt: hour(12) });
      expect(detail?.stages).toEqual([]);
      expect(await store.getRun('nope')).toBeUndefined();
    });

    it('reads many run summaries in one call, in the order asked, leaving unknown ids out', async () => {
      const ids = Array.from({ length: 130 }, (_, i) => `r${i}`);
      for (const id of ids) await store.recordLanding(landing(id));
      await store.setEventTimeRange('r7', { min: hour(1), max: hour(2, 30) }, 1440);
      const asked = ['r7', 'nope', ...ids.slice(0, 120).reverse().filter((id) => id !== 'r7')];
      const summaries = await store.getRunSummaries(asked);
      expect(summaries.map((s) => s.runId)).toEqual(asked.filter((id) => id !== 'nope'));
      expect(summaries[0]).toMatchObject({ runId: 'r7', eventTimeRange: { min: hour(1), max: hour(2, 30) }, rowsAtLanding: 1440 });
      expect(summaries[1]?.rowsAtLanding).toBeUndefined();
      await expect(store.setEventTimeRange('r8', { min: hour(1), max: hour(2) }, -1)).rejects.toThrow(/rows/);
      expect(await store.getRunSummaries([])).toEqual([]);
    });

    it('rejects bad input with an error naming the field, and writes nothing', async () => {
      await expect(store.recordLanding(landing('r1', { landedAt: 'yesterday' }))).rejects.toThrow(/landedAt/);
      await expect(store.recordLanding(landing(''))).rejects.toThrow(InvalidRunStateInputError);
      await expect(store.recordLanding(landing('a#b'))).rejects.toThrow(/'#'/);
      await expect(store.recordLanding(landing('r2', { object: { bucket: 'b', key: 'k', etag: 'e', size: -1 } }))).rejects.toThrow(/size/);
      await expect(store.recordLanding(landing('r3', { eventTimeRange: { min: hour(5), max: hour(4) } }))).rejects.toThrow(/after/);
      await expect(store.recordLanding(landing('r4', { dataset: 'no spaces' }))).rejects.toThrow(/dataset/);
      expect((await store.listRuns()).runs).toEqual([]);
    });

    it('moves a stage through pending, running and succeeded with timestamps, attempts and a timeline', async () => {
      await store.recordLanding(landing('r1'));
      expect(await store.transition({ runId: 'r1', stage: 'refine', status: StageStatus.Pending, at: hour(12, 1) })).toEqual({ applied: true });
      expect(await store.transition({ runId: 'r1', stage: 'refine', status: StageStatus.Running, at: hour(12, 2) })).toEqual({ applied: true });
      expect(await store.transition({ runId: 'r1', stage: 'refine', status: StageStatus.Succeeded, at: hour(12, 5) })).toEqual({ applied: true });
      const detail = await store.getRun('r1');
      expect(detail?.stages).toEqual([
        { stage: 'refine', status: 'succeeded', attempts: 1, pendingAt: hour(12, 1), startedAt: hour(12, 2), endedAt: hour(12, 5), updatedAt: hour(12, 5) },
      ]);
      expect(detail?.timeline.map((t) => [t.at, t.status])).toEqual([
        [hour(12, 1), 'pending'],
        [hour(12, 2), 'running'],
        [hour(12, 5), 'succeeded'],
      ]);
      expect(detail?.run).toMatchObject({ lastStage: 'refine', lastStatus: 'succeeded', updatedAt: hour(12, 5) });
    });

    it('ignores a stale or duplicate transition, so newer state is never overwritten', async () => {
      await store.recordLanding(landing('r1'));
      await store.transition({ runId: 'r1', stage: 'refine', status: StageStatus.Running, at: hour(13) });
      await store.transition({ runId: 'r1', stage: 'refine', status: StageStatus.Succeeded, at: hour(14) });
      expect(await store.transition({ runId: 'r1', stage: 'refine', status: StageStatus.Succeeded, at: hour(14) })).toEqual({ applied: false });
      expect(await store.transition({ runId: 'r1', stage: 'refine', status: StageStatus.Failed, at: hour(13, 30), error: boom })).toEqual({ applied: false });
      expect(await store.transition({ runId: 'r1', stage: 'refine', status: StageStatus.Running, at: hour(14) })).toEqual({ applied: false });
      const detail = await store.getRun('r1');
      expect(detail?.stages[0]).toMatchObject({ status: 'succeeded', attempts: 1, endedAt: hour(14) });
      expect(detail?.stages[0]?.error).toBeUndefined();
      expect(detail?.timeline).toHaveLength(2);
      expect(detail?.run.lastStatus).toBe('succeeded');
    });

    it('records a failure with its error, and a later retry that succeeds clears it', async () => {
      await store.recordLanding(landing('r1'));
      await store.transition({ runId: 'r1', stage: 'refine', status: StageStatus.Running, at: hour(13) });
      await store.transition({ runId: 'r1', stage: 'refine', status: StageStatus.Failed, at: hour(13, 1), error: boom });
      let detail = await store.getRun('r1');
      expect(detail?.stages[0]).toMatchObject({ status: 'failed', error: boom });
      expect(detail?.run).toMatchObject({ lastStatus: 'failed', error: boom });
      await store.transition({ runId: 'r1', stage: 'refine', status: StageStatus.Running, at: hour(13, 10) });
      await store.transition({ runId: 'r1', stage: 'refine', status: StageStatus.Succeeded, at: hour(13, 11) });
      detail = await store.getRun('r1');
      expect(detail?.stages[0]).toEqual({ stage: 'refine', status: 'succeeded', attempts: 2, startedAt: hour(13, 10), endedAt: hour(13, 11), updatedAt: hour(13, 11) });
      expect(detail?.run.error).toBeUndefined();
      expect(detail?.timeline.map((t) => t.status)).toEqual(['running', 'failed', 'running', 'succeeded']);
      expect(detail?.timeline[1]?.error).toEqual(boom);
      const long = { errorClass: 'Huge', message: 'x'.repeat(500_000), retryable: true };
      expect(await store.transition({ runId: 'r1', stage: 'forecast', status: StageStatus.Failed, at: hour(14), error: long })).toEqual({ applied: true });
      expect((await store.getRun('r1'))?.run.error?.message.length).toBeLessThan(10_000);
    });

    it('requires an error exactly on failed and quarantined transitions, and a known run', async () => {
      await store.recordLanding(landing('r1'));
      await expect(store.transition({ runId: 'r1', stage: 'refine', status: StageStatus.Failed })).rejects.toThrow(/needs an error/);
      await expect(store.transition({ runId: 'r1', stage: 'refine', status: StageStatus.Succeeded, error: boom })).rejects.toThrow(/must not carry/);
      await expect(store.transition({ runId: 'r1', stage: 'refine', status: 'done' as StageStatus })).rejects.toThrow(/status must be one of/);
      await expect(store.transition({ runId: 'ghost', stage: 'refine', status: StageStatus.Running })).rejects.toThrow(RunNotFoundError);
      expect(await store.getRun('ghost')).toBeUndefined();
      expect((await store.getRun('r1'))?.stages).toEqual([]);
    });

    it('applies many transitions as one-by-one transitions would, in input order, and names a missing run after writing the rest', async () => {
      for (const id of ['m1', 'm2', 'm3']) await store.recordLanding(landing(id));
      await store.transition({ runId: 'm2', stage: 'refine', status: StageStatus.Succeeded, at: hour(14) });
      const results = await store.transitionMany(['m1', 'm2', 'm3'].map((runId) => ({ runId, stage: 'refine', status: StageStatus.Running, at: hour(13) })));
      expect(results).toEqual([{ applied: true }, { applied: false }, { applied: true }]);
      expect((await store.getRun('m1'))?.stages[0]).toMatchObject({ status: 'running', attempts: 1, startedAt: hour(13) });
      expect((await store.getRun('m2'))?.stages[0]).toMatchObject({ status: 'succeeded', endedAt: hour(14) });
      expect(await store.transitionMany([])).toEqual([]);
      const missing = store.transitionMany(['m1', 'nope', 'm3'].map((runId) => ({ runId, stage: 'refine', status: StageStatus.Succeeded, at: hour(15) })));
      await expect(missing).rejects.toThrow(/nope/);
      expect((await store.getRun('m3'))?.stages[0]).toMatchObject({ status: 'succeeded', endedAt: hour(15) });
      await expect(store.transitionMany([{ runId: 'm1', stage: 'refine', status: 'done' as StageStatus, at: hour(16) }])).rejects.toThrow(/status must be one of/);
      expect((await store.getRun('m1'))?.stages[0]).toMatchObject({ status: 'succeeded', endedAt: hour(15) });
    });

    it('records a stage start on many runs in their timelines only; the outcome carries the start', async () => {
      for (const id of ['s1', 's2', 's3']) await store.recordLanding(landing(id));
      await store.recordStarts(['s1', 's2', 's3'].map((runId) => ({ runId, stage: 'refine', at: hour(13) })));
      await store.recordStarts([{ runId: 's1', stage: 'refine', at: hour(13) }]);
      let detail = await store.getRun('s1');
      expect(detail?.stages).toEqual([]);
      expect(detail?.timeline.map((t) => [t.at, t.stage, t.status])).toEqual([[hour(13), 'refine', 'running']]);
      expect(detail?.run.lastStatus).toBeUndefined();
      await store.transitionMany(['s1', 's2'].map((runId) => ({ runId, stage: 'refine', status: StageStatus.Succeeded, at: hour(13, 4), startedAt: hour(13) })));
      detail = await store.getRun('s1');
      expect(detail?.stages).toEqual([{ stage: 'refine', status: 'succeeded', attempts: 1, startedAt: hour(13), endedAt: hour(13, 4), updatedAt: hour(13, 4) }]);
      expect(detail?.timeline.map((t) => t.status)).toEqual(['running', 'succeeded']);
      expect(detail?.run).toMatchObject({ lastStage: 'refine', lastStatus: 'succeeded' });
      // A failure carries the start too; an entry already running keeps its own start and attempt count.
      await store.transition({ runId: 's3', stage: 'refine', status: StageStatus.Failed, at: hour(13, 2), error: boom, startedAt: hour(13) });
      expect((await store.getRun('s3'))?.stages[0]).toMatchObject({ status: 'failed', attempts: 1, startedAt: hour(13), endedAt: hour(13, 2) });
      await store.transition({ runId: 's3', stage: 'refine', status: StageStatus.Running, at: hour(14) });
      await store.transition({ runId: 's3', stage: 'refine', status: StageStatus.Succeeded, at: hour(14, 1), startedAt: hour(13, 30) });
      expect((await store.getRun('s3'))?.stages[0]).toMatchObject({ status: 'succeeded', attempts: 2, startedAt: hour(14), endedAt: hour(14, 1) });
    });

    it('rejects a misplaced start, and names a missing run after recording the other starts', async () => {
      await store.recordLanding(landing('s1'));
      await store.recordLanding(landing('s2'));
      await expect(store.transition({ runId: 's1', stage: 'refine', status: StageStatus.Running, at: hour(13), startedAt: hour(12) })).rejects.toThrow(/startedAt goes with a terminal transition/);
      await expect(store.transition({ runId: 's1', stage: 'refine', status: StageStatus.Succeeded, at: hour(13), startedAt: hour(14) })).rejects.toThrow(/after the transition/);
      await expect(store.transition({ runId: 's1', stage: 'refine', status: StageStatus.Succeeded, at: hour(13), startedAt: 'soon' })).rejects.toThrow(/startedAt/);
      expect((await store.getRun('s1'))?.stages).toEqual([]);
      await expect(store.recordStarts([{ runId: 's1', stage: 'refine', at: 'later' }])).rejects.toThrow(/at/);
      await expect(store.recordStarts(['s1', 'ghost', 's2'].map((runId) => ({ runId, stage: 'refine', at: hour(15) })))).rejects.toThrow(RunNotFoundError);
      expect((await store.getRun('s2'))?.timeline.map((t) => t.status)).toEqual(['running']);
      expect(await store.getRun('ghost')).toBeUndefined();
      await store.recordStarts([]);
    });

    it('records the whole span of a stage that keeps no state of its own in the timeline only', async () => {
      await store.recordLanding(landing('a1'));
      await store.recordStarts([{ runId: 'a1', stage: 'announce-refined', at: hour(13), endedAt: hour(13, 1) }]);
      const detail = await store.getRun('a1');
      expect(detail?.stages).toEqual([]);
      expect(detail?.timeline.map((t) => [t.at, t.stage, t.status])).toEqual([[hour(13), 'announce-refined', 'running'], [hour(13, 1), 'announce-refined', 'succeeded']]);
      await expect(store.recordStarts([{ runId: 'a1', stage: 'announce-refined', at: hour(14), endedAt: hour(13) }])).rejects.toThrow(/before the start/);
    });

    it('keeps the newest of concurrent transitions whatever order they land in', async () => {
      await store.recordLanding(landing('r1'));
      const minutes = [7, 3, 9, 1, 8, 2, 6, 4, 5, 0];
      const results = await Promise.all(
        minutes.map((m) => store.transition({ runId: 'r1', stage: 'forecast', status: m === 9 ? StageStatus.Succeeded : StageStatus.Running, at: hour(15, m) })),
      );
      expect(results.some((r) => r.applied)).toBe(true);
      const detail = await store.getRun('r1');
      expect(detail?.stages[0]).toMatchObject({ status: 'succeeded', endedAt: hour(15, 9) });
      expect(detail?.run).toMatchObject({ lastStatus: 'succeeded', updatedAt: hour(15, 9) });
    });

    it('tracks several stages of one run, ordered by when each began', async () => {
      await store.recordLanding(landing('r1'));
      await store.transition({ runId: 'r1', stage: 'refine', status: StageStatus.Running, at: hour(13) });
      await store.transition({ runId: 'r1', stage: 'register-landing', status: StageStatus.Succeeded, at: hour(12, 1) });
      await store.transition({ runId: 'r1', stage: 'refine', status: StageStatus.Succeeded, at: hour(13, 2) });
      const detail = await store.getRun('r1');
      expect(detail?.stages.map((s) => s.stage)).toEqual(['register-landing', 'refine']);
      expect(detail?.timeline.map((t) => `${t.stage}:${t.status}`)).toEqual(['register-landing:succeeded', 'refine:running', 'refine:succeeded']);
      expect(detail?.run.lastStage).toBe('refine');
    });

    it('lists the runs of a dataset in a waiting state, following each run in and out of it, and refuses a state it does not index', async () => {
      const { AwaitingRawCrawl: awaiting, ForecastPending: owed } = IndexedRunStates;
      const ids = (runs: readonly { runId: string }[]): string[] => runs.map((r) => r.runId);
      for (const id of ['r3', 'r1', 'r2']) await store.recordLanding(landing(id));
      await store.recordLanding(landing('w1', { dataset: 'weather' }));
      expect(await store.listRunsIn('traffic', awaiting)).toEqual([]);
      for (const id of ['r3', 'r1', 'r2', 'w1']) await store.transition({ runId: id, stage: 'register-landing', status: StageStatus.Succeeded, at: hour(12, 1) });
      expect(ids(await store.listRunsIn('traffic', awaiting))).toEqual(['r1', 'r2', 'r3']);
      expect((await store.listRunsIn('traffic', awaiting))[0]).toMatchObject({ runId: 'r1', dataset: 'traffic', lastStage: 'register-landing', lastStatus: 'succeeded', object: landing('r1').object });
      expect(ids(await store.listRunsIn('weather', awaiting))).toEqual(['w1']);
      // An older transition of another stage leaves the run where its newest transition put it.
      await store.transition({ runId: 'r1', stage: 'request-crawl', status: StageStatus.Succeeded, at: hour(12) });
      expect(ids(await store.listRunsIn('traffic', awaiting))).toEqual(['r1', 'r2', 'r3']);
      // A newer one takes it out; a batch of transitions moves each run as one transition would.
      await store.transitionMany([{ runId: 'r1', stage: 'announce-crawl', status: StageStatus.Succeeded, at: hour(12, 5) }, { runId: 'r3', stage: 'announce-crawl', status: StageStatus.Succeeded, at: hour(12, 5) }]);
      expect(ids(await store.listRunsIn('traffic', awaiting))).toEqual(['r2']);
      // Pending, running, then pending again (a forecast owed anew while one runs): in, out, in.
      await store.transitionMany(['r1', 'r3'].map((runId) => ({ runId, stage: 'forecast', status: StageStatus.Pending, at: hour(12, 10) })));
      expect(ids(await store.listRunsIn('traffic', owed))).toEqual(['r1', 'r3']);
      await store.transition({ runId: 'r1', stage: 'forecast', status: StageStatus.Running, at: hour(12, 11) });
      expect(ids(await store.listRunsIn('traffic', owed))).toEqual(['r3']);
      await store.transition({ runId: 'r1', stage: 'forecast', status: StageStatus.Pending, at: hour(12, 12) });
      expect(ids(await store.listRunsIn('traffic', owed))).toEqual(['r1', 'r3']);
      // A quarantine takes a run out of every list.
      await store.transition({ runId: 'r2', stage: 'refine', status: StageStatus.Quarantined, at: hour(12, 13), error: boom });
      expect(await store.listRunsIn('traffic', awaiting)).toEqual([]);
      await expect(store.listRunsIn('traffic', { stage: 'refine', status: StageStatus.Running })).rejects.toThrow(/refine\/running/);
      await expect(store.listRunsIn('no spaces', awaiting)).rejects.toThrow(/dataset/);
    });

    it('lists exactly the runs left in a waiting state after concurrent transitions of several stages', async () => {
      const ids = Array.from({ length: 24 }, (_, i) => `c${String(i).padStart(2, '0')}`);
      for (const id of ids) await store.recordLanding(landing(id));
      expect(await store.listRunsIn('traffic', IndexedRunStates.AwaitingRawCrawl)).toEqual([]);
      // Each run: register-landing succeeds, and concurrently announce-crawl succeeds on every third
      // run, at a later instant, in either order of landing.
      await Promise.all(ids.flatMap((id, i) => [
        store.transition({ runId: id, stage: 'register-landing', status: StageStatus.Succeeded, at: hour(12, 1) }),
        ...(i % 3 === 0 ? [store.transition({ runId: id, stage: 'announce-crawl', status: StageStatus.Succeeded, at: hour(12, 2) })] : []),
      ]));
      const listed = await store.listRunsIn('traffic', IndexedRunStates.AwaitingRawCrawl);
      expect(listed.map((r) => r.runId)).toEqual(ids.filter((_, i) => i % 3 !== 0));
      const summaries = await store.getRunSummaries(ids);
      expect(summaries.filter((r) => r.lastStage === 'register-landing').map((r) => r.runId)).toEqual(listed.map((r) => r.runId));
    });

    it('records lineage object → refined partitions → forecast outputs, idempotently', async () => {
      await store.recordLanding(landing('r1'));
      await store.recordLanding(landing('r2'));
      const p = ['year=2026/month=11/day=20/hour=11', 'year=2026/month=11/day=20/hour=12'];
      await store.transitionMany(['r1', 'r2'].map((runId) => ({ runId, stage: 'refine', status: StageStatus.Succeeded, at: hour(13), refinedPartitions: p })));
      // A duplicate (stale) transition still adds the lineage it carries.
      expect(await store.transition({ runId: 'r1', stage: 'refine', status: StageStatus.Succeeded, at: hour(13), refinedPartitions: [p[1] ?? ''] })).toEqual({ applied: false });
      await store.recordForecastLineage({ dataset: 'traffic', partition: p[1] ?? '', outputs: ['s3://tributary-forecast/traffic/hour=12.jsonl.out'] });
      await store.recordForecastLineage({ dataset: 'traffic', partition: p[1] ?? '', outputs: ['s3://tributary-forecast/traffic/hour=12.jsonl.out'] });
      const detail = await store.getRun('r1');
      expect(detail?.lineage).toEqual([
        { partition: p[0], forecastOutputs: [] },
        { partition: p[1], forecastOutputs: ['s3://tributary-forecast/traffic/hour=12.jsonl.out'] },
      ]);
      expect((await store.getRun('r2'))?.lineage).toHaveLength(2);
      const extra = 'year=2026/month=11/day=20/hour=13';
      expect(await store.transition({ runId: 'r2', stage: 'refine', status: StageStatus.Succeeded, at: hour(12), refinedPartitions: [extra] })).toEqual({ applied: false });
      expect((await store.getRun('r2'))?.lineage.map((l) => l.partition)).toEqual([...p, extra]);
      expect((await store.getRun('r2'))?.stages[0]).toMatchObject({ status: 'succeeded', endedAt: hour(13) });
      await expect(store.transition({ runId: 'ghost', stage: 'refine', status: StageStatus.Succeeded, refinedPartitions: p })).rejects.toThrow(RunNotFoundError);
    });

    it('keeps the row accounting a transition carries, replaced by a newer one, and rejects a count that is not a whole number', async () => {
      await store.recordLanding(landing('r1'));
      await store.recordLanding(landing('r2'));
      const counts = { read: 10, refined: 7, rejected: 2, duplicates: 1 };
      await store.transitionMany([{ runId: 'r1', stage: 'refine', status: StageStatus.Succeeded, at: hour(13), rowCounts: counts }, { runId: 'r2', stage: 'refine', status: StageStatus.Succeeded, at: hour(13) }]);
      expect((await store.getRun('r1'))?.run.rowCounts).toEqual(counts);
      expect((await store.getRunSummaries(['r1']))[0]?.rowCounts).toEqual(counts);
      expect((await store.getRun('r2'))?.run.rowCounts).toBeUndefined();
      const short = { read: 10, refined: 5, rejected: 2, duplicates: 1 };
      await store.transition({ runId: 'r1', stage: 'refine', status: StageStatus.Failed, at: hour(14), error: { errorClass: 'accounting', message: '2 rows missing', retryable: false }, rowCounts: short });
      expect((await store.getRun('r1'))?.run).toMatchObject({ rowCounts: short, lastStatus: 'failed' });
      await expect(store.transition({ runId: 'r2', stage: 'refine', status: StageStatus.Succeeded, at: hour(15), rowCounts: { ...counts, refined: -1 } })).rejects.toThrow(/rowCounts\.refined/);
      await expect(store.transition({ runId: 'r2', stage: 'refine', status: StageStatus.Succeeded, at: hour(15), rowCounts: { ...counts, read: 1.5 } })).rejects.toThrow(InvalidRunStateInputError);
      expect((await store.getRun('r2'))?.run.rowCounts).toBeUndefined();
    });

    it('lists runs newest first, page by page, without gaps or repeats', async () => {
      for (let i = 0; i < 7; i++) await store.recordLanding(landing(`r${i}`, { landedAt: hour(10 + i) }));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.listRuns({ limit: 3, cursor });
        expect(page.runs.length).toBeLessThanOrEqual(3);
        seen.push(...page.runs.map((r) => r.runId));
        cursor = page.cursor;
        pages++;
      } while (cursor !== undefined && pages < 10);
      expect(seen).toEqual(['r6', 'r5', 'r4', 'r3', 'r2', 'r1', 'r0']);
      await expect(store.listRuns({ cursor: 'not-a-cursor' })).rejects.toThrow(InvalidRunStateInputError);
      await expect(store.listRuns({ limit: 0 })).rejects.toThrow(/limit/);
    });

    it('finds every object of a dataset whose event-time range overlaps a window, bounds inclusive', async () => {
      await store.recordLanding(landing('a', { eventTimeRange: { min: hour(1), max: hour(2) } }));
      await store.recordLanding(landing('b', { eventTimeRange: { min: hour(2, 30), max: hour(3, 30) } }));
      await store.recordLanding(landing('c'));
      await store.setEventTimeRange('c', { min: hour(5), max: hour(6) });
      await store.recordLanding(landing('d', { dataset: 'weather', eventTimeRange: { min: hour(1), max: hour(6) } }));
      const keys = async (from: string, to: string): Promise<string[]> =>
        (await store.findObjectsOverlapping('traffic', { from, to })).map((o) => o.runId);
      expect(await keys(hour(2), hour(2, 30))).toEqual(['a', 'b']);
      expect(await keys(hour(3, 31), hour(4, 59))).toEqual([]);
      expect(await keys(hour(0), hour(23))).toEqual(['a', 'b', 'c']);
      expect(await keys(hour(6), hour(7))).toEqual(['c']);
      const [found] = await store.findObjectsOverlapping('traffic', { from: hour(5), to: hour(5) });
      expect(found).toEqual({ runId: 'c', object: landing('c').object, eventTimeRange: { min: hour(5), max: hour(6) }, landedAt: hour(12) });
      await expect(store.findObjectsOverlapping('traffic', { from: hour(5), to: hour(4) })).rejects.toThrow(InvalidRunStateInputError);
    });

    it('indexes a range spanning days once per object, follows a changed range, and drops quarantined objects', async () => {
      const day = (d: number, h = 0): string => new Date(Date.UTC(2026, 10, d, h)).toISOString();
      await store.recordLanding(landing('late', { eventTimeRange: { min: day(10, 23), max: day(14, 1) } }));
      await store.recordLanding(landing('q', { eventTimeRange: { min: day(12), max: day(12, 5) } }));
      expect((await store.findObjectsOverlapping('traffic', { from: day(9), to: day(20) })).map((o) => o.runId)).toEqual(['late', 'q']);
      await store.setEventTimeRange('late', { min: day(14), max: day(14, 1) });
      expect((await store.findObjectsOverlapping('traffic', { from: day(11), to: day(13) })).map((o) => o.runId)).toEqual(['q']);
      await store.transition({ runId: 'q', stage: 'register-landing', status: StageStatus.Quarantined, error: { errorClass: 'BadRow', message: 'x', retryable: false } });
      await store.setEventTimeRange('q', { min: day(12), max: day(12, 6) });
      expect((await store.findObjectsOverlapping('traffic', { from: day(9), to: day(20) })).map((o) => o.runId)).toEqual(['late']);
      await expect(store.setEventTimeRange('ghost', { min: day(1), max: day(2) })).rejects.toThrow(RunNotFoundError);
    });

    it('returns one entry per object key: the newest landing of an overwritten object', async () => {
      const object = { bucket: 'tributary-raw', key: 'traffic/same.json', etag: 'v1', size: 10 };
      await store.recordLanding(landing('v1', { object, landedAt: hour(10), eventTimeRange: { min: hour(1), max: hour(2) } }));
      await store.recordLanding(landing('v2', { object: { ...object, etag: 'v2' }, landedAt: hour(11), eventTimeRange: { min: hour(1), max: hour(3) } }));
      const found = await store.findObjectsOverlapping('traffic', { from: hour(0), to: hour(5) });
      expect(found.map((o) => [o.runId, o.object.etag])).toEqual([['v2', 'v2']]);
    });

    it('sets a pending crawl once, counts later requests, and clears it only with the version read', async () => {
      expect(await store.getPendingCrawl('traffic', 'raw')).toBeUndefined();
      const first = await store.markCrawlPending('traffic', 'raw', hour(9));
      expect(first).toMatchObject({ created: true, pending: { dataset: 'traffic', zone: 'raw', since: hour(9), requests: 1 } });
      const second = await store.markCrawlPending('traffic', 'raw', hour(10));
      expect(second).toEqual({ created: false, pending: { ...first.pending, requests: 2 } });
      expect(await store.getPendingCrawl('traffic', 'refined')).toBeUndefined();
      expect(await store.clearPendingCrawl('traffic', 'raw', 'some-other-version')).toBe(false);
      expect(await store.clearPendingCrawl('traffic', 'raw', first.pending.version)).toBe(true);
      expect(await store.clearPendingCrawl('traffic', 'raw', first.pending.version)).toBe(false);
      const again = await store.markCrawlPending('traffic', 'raw', hour(11));
      expect(again.created).toBe(true);
      expect(again.pending.version).not.toBe(first.pending.version);
      expect(await store.clearPendingCrawl('traffic', 'raw', first.pending.version)).toBe(false);
      expect(await store.getPendingCrawl('traffic', 'raw')).toEqual(again.pending);
    });

    it('lets exactly one of many concurrent requests set the pending crawl', async () => {
      const results = await Promise.all(Array.from({ length: 12 }, () => store.markCrawlPending('traffic', 'raw')));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.pending.version)).size).toBe(1);
      expect((await store.getPendingCrawl('traffic', 'raw'))?.requests).toBe(12);
    });

    it('keeps one open run-less failure per stage, dataset and zone until that stage clears it', async () => {
      const error = { errorClass: 'configuration', message: 'sql/traffic/views/x.sql line 2: no column speedx', retryable: false };
      expect(await store.listStageFailures()).toEqual([]);
      await store.recordStageFailure({ stage: 'publish-views', dataset: 'traffic', error, at: '2026-01-05T10:00:00Z' });
      await store.recordStageFailure({ stage: 'publish-views', dataset: 'traffic', error: { ...error, message: 'again' }, at: '2026-01-05T10:05:00Z' });
      await store.recordStageFailure({ stage: 'announce-crawl', dataset: 'traffic', zone: 'refined', error: { ...error, errorClass: 'dependency' }, at: '2026-01-05T10:01:00Z' });
      const open = await store.listStageFailures();
      expect(open.map((f) => [f.stage, f.dataset, f.zone, f.error.message, f.at]).sort()).toEqual([
        ['announce-crawl', 'traffic', 'refined', error.message, '2026-01-05T10:01:00.000Z'],
        ['publish-views', 'traffic', undefined, 'again', '2026-01-05T10:05:00.000Z'],
      ]);
      await store.clearStageFailure('announce-crawl', 'traffic', 'raw');
      await store.clearStageFailure('publish-views', 'traffic');
      expect((await store.listStageFailures()).map((f) => f.stage)).toEqual(['announce-crawl']);
      expect((await store.listRuns()).runs).toEqual([]);
    });
  });
}
