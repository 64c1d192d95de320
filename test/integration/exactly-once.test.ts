import './quiet-logs';
import { promises as fs } from 'node:fs';
import { localTopologyNames } from '../../events/topology-names';
import { stages } from '../../handlers/stages';
import { archiveArn, busArn } from '../../infra/local/bus/bus-arns';
import { LOCAL_ARCHIVE } from '../../infra/local/runtime/embedded-runtime';
import type { EmbeddedRuntime } from '../../infra/local/runtime/embedded-runtime';
import { generateTrafficSample, type TrafficSampleSummary } from '../../infra/local/sample/traffic-sample';
import { allRuns, countRows, dropFiles, dumpTable, duplicateEveryDelivery, NO_DIFF, openRuntime, readSample, runCensus, settle, shuffled, tableDiff, tempDir, cleanRun, FORECAST, REFINED, type TableDumps } from './pipeline-harness';

jest.setTimeout(240_000);


/**
 * Invariant 2 (exactly-once effects) and 4 (replay is safe): the refined and forecast tables are a
 * function of the set of raw objects, whatever the order, batching, duplicate delivery or replay.
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
    const deliveries = countStageDeliveries(rt);
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
      for (let b = 0; b + 1 < cuts.length; b++) {
        await dropFiles(home, await readSample(sampleDir, order.slice(cuts[b], cuts[b + 1])));
        await settle(rt);
      }
      expect(tableDiff(clean.refined, await dumpTable(rt, REFINED))).toEqual(NO_DIFF);
      expect(tableDiff(clean.forecast, await dumpTable(rt, FORECAST))).toEqual(NO_DIFF);

      await rt.bus.startReplay({
        ReplayName: 'whole-archive',
        EventSourceArn: archiveArn(LOCAL_ARCHIVE),
        EventStartTime: started,
        EventEndTime: new Date(Date.now() + 1_000),
        Destination: { Arn: busArn(localTopologyNames.busName) },
      });
      await waitForReplay(rt, 'whole-archive');
      await settle(rt);

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

/** Re-registers every stage with a wrapper that counts deliveries per (stage, event id) of non-replayed events. */
function countStageDeliveries(rt: EmbeddedRuntime): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [id, stage] of Object.entries(stages)) {
    rt.bus.registerStageHandler(id, (event) => {
      if (event['replay-name'] === undefined) counts.set(`${id} ${event.id}`, (counts.get(`${id} ${event.id}`) ?? 0) + 1);
      return stage(event, rt.deps);
    });
  }
  return counts;
}

async function waitForReplay(rt: EmbeddedRuntime, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const replay = await rt.bus.describeReplay({ ReplayName: name });
    if (replay.State === 'COMPLETED') return;
    if (replay.State === 'FAILED') throw new Error(`replay ${name} failed: ${replay.StateReason}`);
    if (Date.now() > deadline) throw new Error(`replay ${name} still ${replay.State}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
