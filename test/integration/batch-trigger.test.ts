import './quiet-logs';
import { DomainDetailType, TRIBUTARY_SOURCE } from '../../contracts/domain-events';
import { localTopologyNames } from '../../events/topology-names';
import { runProgress } from '../../handlers/stage-kit/run-progress';
import { tickDueFor } from '../../handlers/stage-kit/batch-trigger';
import { failStalledRuns } from '../../handlers/stage-kit/fail-stalled-runs';
import { stageTargetArn } from '../../infra/emulators/bus/bus-arns';
import { waitVerdict } from '../../infra/operator/cli/wait-verdict';
import { EmbeddedRuntime } from '../../infra/local/runtime/embedded-runtime';
import { allRuns, countRows, dropFiles, runCensus, settle, tempDirs } from './pipeline-harness';
import { reading, trafficCopy } from './traffic-copy';

jest.setTimeout(180_000);

const DATASET = 'batchy';

/** DESIGN.md invariant 3, per tick: a batch-triggered dataset refines once per schedule tick however many files landed. */
describe('a batch-triggered dataset', () => {
  const dir = tempDirs();

  it('registers landings as they come, crawls and refines nothing until the tick, then refines every run landed since in one refine', async () => {
    const home = await dir('batch');
    await trafficCopy(home, DATASET, (m) => ({ ...m, trigger: { schedule: 'rate(1 hour)' } }));
    let clock = Date.now();
    const rt = await EmbeddedRuntime.open({ home, consoleAlerts: false, backoffBaseMs: 20, backoffMaxMs: 500, busClock: () => clock });
    try {
      const rule = (await rt.bus.listRules({ EventBusName: 'default', NamePrefix: `${localTopologyNames.resourcePrefix}-batch-` })).Rules;
      expect(rule.map((r) => [r.Name, r.ScheduleExpression, r.ManagedBy])).toEqual([[`tributary-batch-${DATASET}`, 'rate(1 hour)', 'tributary.pipeline']]);
      // A subscriber of our own: counts the refines' announcements and the refine queries that ran.
      const seen: string[] = [];
      rt.bus.registerStageHandler('spy', async (event) => {
        if (typeof event === 'object' && event !== null && 'detail-type' in event) seen.push(String(event['detail-type']));
      });
      await rt.bus.putRule({ Name: 'spy-refined', EventBusName: localTopologyNames.busName, EventPattern: JSON.stringify({ source: [TRIBUTARY_SOURCE], 'detail-type': [DomainDetailType.RefinedWritten] }) });
      await rt.bus.putTargets({ Rule: 'spy-refined', EventBusName: localTopologyNames.busName, Targets: [{ Id: 'spy', Arn: stageTargetArn('spy') }] });

      const hours = ['2026-03-02T08', '2026-03-02T09', '2026-03-02T11', '2026-03-03T00'];
      await dropFiles(home, hours.map((h, i) => ({ key: `${DATASET}/${h.replace(/[-T]/g, '/')}/part-${i}.jsonl`, body: `${reading('B1', `${h}:05:00.000Z`, 60 + i)}\n${reading('B2', `${h}:10:00.000Z`, 70 + i)}\n` })));
      await settle(rt);

      // Quiescent before the tick: every run registered and waiting (in progress, not done, not stalled); no crawl, no refine.
      let runs = await allRuns(rt);
      expect(runCensus(runs)).toEqual({ 'register-landing:succeeded': hours.length });
      expect(runs.map((r) => runProgress(r, false))).toEqual(runs.map(() => ({ state: 'in-progress', waitingOn: 'announce-crawl' })));
      expect(await rt.crawler.getCrawler(`tributary-${DATASET}-raw`)).toBeUndefined();
      const manifest = (await rt.deps.datasets.getDataset(DATASET))?.manifest;
      const verdict = waitVerdict(runs, [], [], () => false, (r) => tickDueFor(manifest, r));
      expect(verdict.code).toBe(1);
      expect(verdict.summary).toBe(`quiescent until the next batch tick: ${hours.length} run(s) wait for it (not done yet)`);
      expect(seen).toEqual([]);
      // 70 minutes on, past a 15-minute raw-crawl deadline counted from the landing but not from the tick due an hour after it: not stalled.
      const later = new Date(Date.now() + 70 * 60_000);
      expect(await failStalledRuns({ ...rt.deps, clock: () => later }, { deadlineMs: () => 15 * 60_000 })).toEqual([]);
      const muchLater = new Date(Date.now() + 80 * 60_000);
      expect(runs.map((r) => tickDueFor(manifest, r) ?? 0).every((due) => due > later.getTime() - 15 * 60_000 && due < muchLater.getTime() - 15 * 60_000)).toBe(true);

      // The tick: one raw crawl, one refine covering every run.
      clock += 60 * 60_000 + 1000;
      expect(await rt.bus.runSchedules()).toBe(1);
      await settle(rt);
      runs = await allRuns(rt);
      expect(runCensus(runs)).toEqual({ 'refine:succeeded': hours.length });
      expect(seen).toEqual([DomainDetailType.RefinedWritten]);
      expect(await countRows(rt, `tributary_refined.${DATASET}`)).toBe(hours.length * 2);
      const crawler = await rt.crawler.getCrawler(`tributary-${DATASET}-raw`);
      expect(crawler?.LastCrawl?.Status).toBe('SUCCEEDED');

      // A tick with nothing landed since starts nothing.
      clock += 60 * 60_000;
      expect(await rt.bus.runSchedules()).toBe(1);
      await settle(rt);
      expect(seen).toEqual([DomainDetailType.RefinedWritten]);
    } finally {
      await rt.close();
    }
  });
});
