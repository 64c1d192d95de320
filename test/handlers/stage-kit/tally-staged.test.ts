import '../../integration/quiet-logs';
import type { QueryEnginePort } from '../../../handlers/ports/query-engine';
import { REFINE_TALLY, RefineTallySchema, type RefineTally } from '../../../handlers/stage-kit/job-records';
import { generateTrafficSample } from '../../../infra/shipped/traffic-sample';
import { dropFiles, openRuntime, readSample, settle, tempDirs } from '../../integration/pipeline-harness';

jest.setTimeout(180_000);

describe('tallyOnce', () => {
  const dir = tempDirs();

  it('counts the rows a refine window wrote from its staged output, with no UpdateCount (Athena reports none for UNLOAD)', async () => {
    const sampleDir = await dir('tally-sample');
    const home = await dir('tally');
    const sample = await generateTrafficSample({ outDir: sampleDir, sensors: 2, hours: 2, seed: 7 });
    const rt = await openRuntime(home);
    try {
      const engine: QueryEnginePort = rt.deps.query;
      const getQueryResults = engine.getQueryResults.bind(engine);
      engine.getQueryResults = async (id, options) => {
        const { UpdateCount: _dropped, ...results } = await getQueryResults(id, options);
        return results;
      };
      const tallies: RefineTally[] = [];
      const putJob = rt.deps.jobs.putJob.bind(rt.deps.jobs);
      rt.deps.jobs.putJob = async (kind, id, record) => {
        if (kind === REFINE_TALLY) tallies.push(RefineTallySchema.parse(record));
        await putJob(kind, id, record);
      };
      await dropFiles(home, await readSample(sampleDir, sample.keys));
      await settle(rt);
      expect(tallies.length).toBeGreaterThan(0);
      for (const tally of tallies) {
        const refinedOfItsRuns = tally.written.reduce((n, [, refined]) => n + refined, 0);
        expect(refinedOfItsRuns).toBeGreaterThan(0);
        expect(tally.rows).toBeGreaterThanOrEqual(refinedOfItsRuns);
      }
    } finally {
      await rt.close();
    }
  });
});
