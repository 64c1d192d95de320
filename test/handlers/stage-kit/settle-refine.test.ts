import '../../integration/quiet-logs';
import { promises as fs } from 'node:fs';
import { StageId } from '../../../events/stage-ids';
import { generateTrafficSample } from '../../../infra/shipped/traffic-sample';
import { generationOfRecord, NewestFirst, stringAt } from '../../integration/newest-first';
import { allRuns, dropFiles, openRuntime, readSample, runCensus, settle, tempDirs } from '../../integration/pipeline-harness';

jest.setTimeout(180_000);

/** settleRefine: a refine whose every partition a newer refine took over still ends its runs. */
describe('a refine superseded in every partition', () => {
  const dir = tempDirs();

  it('announces its runs with no partitions, so they reach the end of their chain instead of stalling', async () => {
    const sampleDir = await dir('superseded-sample');
    const home = await dir('superseded');
    const sample = await generateTrafficSample({ outDir: sampleDir, sensors: 2, hours: 2, seed: 31 });
    const files = await readSample(sampleDir, sample.keys);
    const rt = await openRuntime(home);
    const held = new NewestFirst([{ stage: StageId.AnnounceRefined, generationOf: async (e) => generationOfRecord(await rt.deps.jobs.getJob('refine', stringAt(e, 'detail', 'queryExecutionId') ?? '')) }]);
    rt.bus.registerStageHandler(StageId.AnnounceRefined, held.wrap(StageId.AnnounceRefined, (event) => import('../../../handlers/announce-refined').then((m) => m.handler(event, rt.deps))));
    try {
      // The same readings twice, under other keys: the second refine covers every hour of the first.
      await dropFiles(home, files);
      await settle(rt, 120_000, { failStalled: false });
      await dropFiles(home, files.map((f, i) => ({ key: `traffic/redelivered-${i}.jsonl`, body: f.body })));
      await settle(rt, 120_000, { failStalled: false });
      expect(held.holding()).toBeGreaterThanOrEqual(2);
      await held.settle(rt);
      expect(held.lateOlderJobs.get(StageId.AnnounceRefined)).toBeGreaterThan(0);
      expect(runCensus(await allRuns(rt))).toEqual({ 'forecast:succeeded': 2 * sample.files });
      await expect(fs.access(`${home}/alerts.jsonl`)).rejects.toThrow();
    } finally {
      await rt.close();
    }
  });
});
