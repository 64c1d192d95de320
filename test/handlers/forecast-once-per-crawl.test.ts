import '../integration/quiet-logs';
import { StageId } from '../../events/stage-ids';
import { localTopologyNames } from '../../events/topology-names';
import { ruleTable } from '../../events/rules';
import { deadLetterQueueArn, stageTargetArn } from '../../infra/emulators/bus/bus-arns';
import { PIPELINE_MANAGER } from '../../infra/emulators/bus/install-topology';
import { walkFiles } from '../../infra/emulators/object-store/walk-files';
import { zoneDir } from '../../infra/local/lake-paths';
import { generateTrafficSample } from '../../infra/shipped/traffic-sample';
import { allRuns, dropFiles, openRuntime, readSample, runCensus, settle, tempDirs } from '../integration/pipeline-harness';

jest.setTimeout(180_000);

/** The transform jobs the forecast stage started: one input folder each in the forecast zone. */
async function transformJobs(home: string): Promise<string[]> {
  const names: string[] = [];
  for await (const file of walkFiles(zoneDir(home, 'forecast'))) {
    const match = /^_transform\/([^/]+)\/input\//.exec(file.key);
    if (match?.[1] !== undefined) names.push(match[1]);
  }
  return [...new Set(names)].sort();
}

/**
 * EventBridge delivers at least once: a crawler's state-change event may reach announce-crawl twice,
 * which then announces the crawl twice (`TableCrawled`, two event ids). The runs that waited for the
 * refined table's first crawl are forecast once per crawl, not once per announcement.
 */
describe('forecast after a refined crawl announced twice', () => {
  const dir = tempDirs();

  it('starts one transform job, as for a crawl announced once', async () => {
    const sampleDir = await dir('once-per-crawl-sample');
    const home = await dir('once-per-crawl');
    const sample = await generateTrafficSample({ outDir: sampleDir, sensors: 2, hours: 1, seed: 29, filesPerHour: 1 });
    const rt = await openRuntime(home);
    try {
      // Every crawler event is delivered to announce-crawl twice: the rule gets a second target (the bus delivers it).
      for (const row of ruleTable(localTopologyNames).filter((r) => r.target === StageId.AnnounceCrawl)) {
        await rt.bus.putTargets({
          Rule: row.id,
          EventBusName: row.eventBusName,
          Targets: [{ Id: `${row.target}-again`, Arn: stageTargetArn(row.target), RetryPolicy: { MaximumEventAgeInSeconds: row.retryPolicy.maximumEventAgeInSeconds, MaximumRetryAttempts: row.retryPolicy.maximumRetryAttempts }, DeadLetterConfig: { Arn: deadLetterQueueArn(row.deadLetterQueue) } }],
        }, { managedBy: PIPELINE_MANAGER });
      }
      await dropFiles(home, await readSample(sampleDir, sample.keys));
      await settle(rt);
      expect(runCensus(await allRuns(rt))).toEqual({ 'forecast:succeeded': sample.files });
      // The file's refine came before the refined table's first crawl: that crawl's announcement forecasts it.
      expect(await transformJobs(home)).toHaveLength(1);
    } finally {
      await rt.close();
    }
  });
});
