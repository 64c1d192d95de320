import '../../integration/quiet-logs';
import { StageId } from '../../../events/stage-ids';
import { generateTrafficSample } from '../../../infra/shipped/traffic-sample';
import { allRuns, dropFiles, openRuntime, readSample, runCensus, settle, tempDirs } from '../../integration/pipeline-harness';

jest.setTimeout(180_000);

/** requestOwedCrawls: a crawl request lost to a crash (cleared, never started) is asked again on the next start. */
describe('a crawl request a crash lost', () => {
  const dir = tempDirs();

  it('is requested again when the home is next opened, so the waiting runs complete', async () => {
    const sampleDir = await dir('owed-sample');
    const home = await dir('owed');
    const sample = await generateTrafficSample({ outDir: sampleDir, sensors: 2, hours: 2, seed: 51 });
    const first = await openRuntime(home);
    try {
      // Every crawl request is lost: the runs register and then wait for a crawl nobody starts.
      first.bus.registerStageHandler(StageId.RequestCrawl, async () => undefined);
      await dropFiles(home, await readSample(sampleDir, sample.keys));
      await settle(first, 120_000, { failStalled: false });
      expect(runCensus(await allRuns(first))).toEqual({ 'register-landing:succeeded': sample.files });
    } finally {
      await first.close();
    }
    const second = await openRuntime(home);
    try {
      await settle(second);
      expect(runCensus(await allRuns(second))).toEqual({ 'forecast:succeeded': sample.files });
    } finally {
      await second.close();
    }
  });
});
