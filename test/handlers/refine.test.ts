import '../integration/quiet-logs';
import { promises as fs } from 'node:fs';
import { refine } from '../../handlers/refine';
import type { QueryEnginePort } from '../../handlers/ports/query-engine';
import { assertRequestMatchesModel } from '../infra/aws/api-model/check-requests';
import { generateTrafficSample } from '../../infra/shipped/traffic-sample';
import { allRuns, dropFiles, openRuntime, readSample, runCensus, settle, tempDirs } from '../integration/pipeline-harness';

jest.setTimeout(180_000);

describe('refine', () => {
  const dir = tempDirs();

  it('starts each window query with a token Athena accepts, the same on a rerun; a rerun that finds more objects overlapping its window starts a new query, never gets the old one back under a newer generation', async () => {
    const sampleDir = await dir('refine-token-sample');
    const home = await dir('refine-token');
    const sample = await generateTrafficSample({ outDir: sampleDir, sensors: 2, hours: 2, seed: 41 });
    const [first] = await readSample(sampleDir, sample.keys);
    if (!first) throw new Error('empty sample');
    const rt = await openRuntime(home);
    try {
      await dropFiles(home, [first]);
      await settle(rt);
      const runId = (await allRuns(rt))[0]?.runId ?? '';
      const tokens: string[] = [];
      // Each start is checked against Athena's published API model (ClientRequestToken is 32–128 characters).
      const query: QueryEnginePort = { ...rt.deps.query, startQueryExecution: async (input) => {
        assertRequestMatchesModel('Athena', 'StartQueryExecution', input);
        if (input.ClientRequestToken?.startsWith('refine-')) tokens.push(input.ClientRequestToken);
        return rt.deps.query.startQueryExecution(input);
      } };
      await refine({ dataset: 'traffic', runIds: [runId] }, { ...rt.deps, query });
      await settle(rt);
      await refine({ dataset: 'traffic', runIds: [runId] }, { ...rt.deps, query });
      expect(tokens).toHaveLength(2);
      expect(tokens[1]).toBe(tokens[0]);
      // A file overlapping the same hours lands (a redelivery): the same run's refine must now read it too.
      await dropFiles(home, [{ key: 'traffic/redelivered.jsonl', body: first.body }]);
      await settle(rt);
      await refine({ dataset: 'traffic', runIds: [runId] }, { ...rt.deps, query });
      expect(tokens).toHaveLength(3);
      expect(tokens[2]).not.toBe(tokens[0]);
      await settle(rt);
    } finally {
      await rt.close();
    }
  });

  it('settles a run whose file holds no event time once, beside runs with events: its rows balance as rejects and it ends at refine', async () => {
    const sampleDir = await dir('refine-no-time-sample');
    const home = await dir('refine-no-time');
    const sample = await generateTrafficSample({ outDir: sampleDir, sensors: 2, hours: 2, seed: 43 });
    // Every declared column is there (a file without one fails as schema at landing); only the event times are bad.
    const counts = '"previousSpeed":50,"trafficIntensityClass2":1,"trafficIntensityClass3":0,"trafficIntensityClass4":0,"trafficIntensityClass5":0';
    const badTimes = [`{"uniqueId":"N1","recordTimestamp":"not a time","currentSpeed":50,"bezettingsgraad":5,${counts}}`, `{"uniqueId":"N1","currentSpeed":51,"bezettingsgraad":5,${counts}}`].join('\n');
    const rt = await openRuntime(home);
    try {
      await dropFiles(home, [...(await readSample(sampleDir, sample.keys)), { key: 'traffic/2026/01/05/10/no-time.jsonl', body: `${badTimes}\n` }]);
      await settle(rt);
      const runs = await allRuns(rt);
      const noTime = runs.find((r) => r.object.key.endsWith('no-time.jsonl'));
      expect(noTime).toMatchObject({ lastStage: 'refine', lastStatus: 'succeeded', rowCounts: { read: 2, refined: 0, rejected: 2, duplicates: 0 } });
      expect(noTime?.eventTimeRange).toBeUndefined();
      expect(runCensus(runs.filter((r) => r !== noTime))).toEqual({ 'forecast:succeeded': sample.files });
      await expect(fs.access(`${home}/alerts.jsonl`)).rejects.toThrow();
    } finally {
      await rt.close();
    }
  });
});
