import './quiet-logs';
import { promises as fs } from 'node:fs';
import { localTopologyNames } from '../../events/topology-names';
import { stages } from '../../handlers/stages';
import { archiveArn, busArn } from '../../infra/emulators/bus/bus-arns';
import { LOCAL_ARCHIVE } from '../../infra/local/runtime/embedded-runtime';
import type { EmbeddedRuntime } from '../../infra/local/runtime/embedded-runtime';
import { generateTrafficSample, type TrafficSampleSummary } from '../../infra/shipped/traffic-sample';
import { StageId } from '../../events/stage-ids';
import { generationOfRecord, NewestFirst, stringAt } from './newest-first';
import { allRuns, countRows, dropFiles, dumpTable, duplicateEveryDelivery, NO_DIFF, openRuntime, readSample, runCensus, shuffled, tableDiff, tempDir, cleanRun, FORECAST, REFINED, type TableDumps } from './pipeline-harness';

// A bound on a stuck pipeline, not a speed requirement: nothing below waits for time to pass.
jest.setTimeout(900_000);

/**
 * Invariant 2 (exactly-once effects) and 4 (replay is safe): the refined and forecast tables are a
 * function of the set of raw objects, whatever the order, batching, duplicate delivery or replay.
 * Nothing here depends on the machine's speed: the batches are cut at quiescent points, so jobs run on
 * partial data by construction, and refine and forecast announcements are held and released at
 * quiescent points, newest job first (forecasts across batches): a forecast job on partial data swaps
 * after newer jobs on more data, the interleaving a loaded machine produces only by chance.
 */
describe('exactly-once effects: order, batching, duplicate delivery and replay do not change the tables', () => {
  const dirs: string[] = [];
  let sampleDir: string;
  let sample: TrafficSampleSummary;
  let clean: TableDumps;

  beforeAll(async () => {
    sampleDir = await tempDir('sample');
    dirs.push(sampleDir);
    sample = await generateTrafficSample({ outDir: sampleDir, sensors: 4, hours: 20, seed: 11 });
    expect(sample.lateRows).toBeGreaterThan(0);
    expect(sample.duplicateRows).toBeGreaterThan(0);
    const home = await tempDir('clean');
    dirs.push(home);
    clean = await cleanRun(home, sampleDir, sample.keys);
  });

  afterAll(async () => {
    for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
  });

  it('the clean run holds exactly the valid readings and some forecasts', () => {
    expect(clean.refined).toHaveLength(sample.validRows);
    expect(clean.forecast.length).toBeGreaterThan(0);
  });

  it('shuffled batches with every event delivered twice, then a full archive replay, give the same rows', async () => {
    const home = await tempDir('messy');
    dirs.push(home);
    const started = new Date(Date.now() - 60_000);
    const rt = await openRuntime(home);
    const newestFirst = new NewestFirst([
      { stage: StageId.AnnounceRefined, generationOf: async (e) => generationOfRecord(await rt.deps.jobs.getJob('refine', stringAt(e, 'detail', 'queryExecutionId') ?? '')) },
      { stage: StageId.AnnounceForecast, generationOf: async (e) => generationOfRecord(await rt.deps.jobs.getJob('forecast', stringAt(e, 'detail', 'TransformJobName') ?? '')) },
    ]);
    const deliveries = countStageDeliveries(rt, newestFirst);
    const onOurBus = new Map<string, number>();
    let replayed = 0;
    const stopFeed = rt.bus.onEvent(({ bus, event }) => {
      if (bus !== localTopologyNames.busName) return;
      if (event['replay-name'] !== undefined) replayed++;
      else if (event.source === 'aws.s3') onOurBus.set(event.id, (onOurBus.get(event.id) ?? 0) + 1);
    });
    try {
      await duplicateEveryDelivery(rt);
      const order = shuffled(sample.keys, 20260122);
      const cuts = [0, Math.floor(order.length * 0.2), Math.floor(order.length * 0.55), order.length];
      const batch = async (b: number): Promise<void> => dropFiles(home, await readSample(sampleDir, order.slice(cuts[b], cuts[b + 1])));
      // The forecasts of the first two batches (started on partial data) are announced after those of
      // the third (all the data), newest first; refines are announced at the end of their batch.
      await batch(0);
      await newestFirst.settle(rt, [StageId.AnnounceRefined]);
      await batch(1);
      await newestFirst.settle(rt, [StageId.AnnounceRefined]);
      await batch(2);
      await newestFirst.settle(rt);
      expect(tableDiff(clean.refined, await dumpTable(rt, REFINED))).toEqual(NO_DIFF);
      expect(tableDiff(clean.forecast, await dumpTable(rt, FORECAST))).toEqual(NO_DIFF);
      // The forced order really happened: forecast jobs on partial data swapped after newer ones.
      expect(newestFirst.lateOlderJobs.get(StageId.AnnounceForecast)).toBeGreaterThan(0);
      // Every run reached the end of its chain, also those whose refine a newer one superseded.
      expect(runCensus(await allRuns(rt))).toEqual({ 'forecast:succeeded': sample.files });

      await rt.bus.startReplay({
        ReplayName: 'whole-archive',
        EventSourceArn: archiveArn(LOCAL_ARCHIVE),
        EventStartTime: started,
        EventEndTime: new Date(Date.now() + 1_000),
        Destination: { Arn: busArn(localTopologyNames.busName) },
      });
      await waitForReplay(rt, 'whole-archive');
      await newestFirst.settle(rt);

      // The duplication really happened, through the bus: every S3 event reached our bus twice, and
      // every event a stage heard, it heard at least twice.
      expect(onOurBus.size).toBe(sample.files);
      expect([...onOurBus.values()].every((n) => n === 2)).toBe(true);
      expect(deliveries.size).toBeGreaterThan(0);
      const once = [...deliveries].filter(([, n]) => n < 2).map(([k]) => k);
      expect(once).toEqual([]);
      expect(replayed).toBeGreaterThan(sample.files);

      expect(tableDiff(clean.refined, await dumpTable(rt, REFINED))).toEqual(NO_DIFF);
      expect(tableDiff(clean.forecast, await dumpTable(rt, FORECAST))).toEqual(NO_DIFF);
      expect(await countRows(rt, REFINED)).toBe(sample.validRows);
      const runs = await allRuns(rt);
      expect(runs).toHaveLength(sample.files);
      expect(runCensus(runs)).toEqual({ 'forecast:succeeded': sample.files });
      expect(rt.bus.listDeadLetterQueues()).toEqual([]);
    } finally {
      stopFeed();
      await rt.close();
    }
  });
});

/**
 * Re-registers every stage with a wrapper that counts deliveries per (stage, event id) of non-replayed
 * events, then hands them to the stage, through the holder for the stages it holds.
 */
function countStageDeliveries(rt: EmbeddedRuntime, holder: NewestFirst): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [id, stage] of Object.entries(stages)) {
    const run = holder.wrap(id, (event) => stage(event, rt.deps));
    rt.bus.registerStageHandler(id, (event) => {
      if (event['replay-name'] === undefined) counts.set(`${id} ${event.id}`, (counts.get(`${id} ${event.id}`) ?? 0) + 1);
      return run(event);
    });
  }
  return counts;
}

/** Waits for a replay to finish, however long it takes (the test's timeout bounds a stuck one). */
async function waitForReplay(rt: EmbeddedRuntime, name: string): Promise<void> {
  for (;;) {
    const replay = await rt.bus.describeReplay({ ReplayName: name });
    if (replay.State === 'COMPLETED') return;
    if (replay.State === 'FAILED') throw new Error(`replay ${name} failed: ${replay.StateReason}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
