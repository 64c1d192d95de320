import './quiet-logs';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DomainDetailType, TRIBUTARY_SOURCE, type BackfillRequestedDetail } from '../../contracts/domain-events';
import { localTopologyNames } from '../../events/topology-names';
import { backfillProgress } from '../../handlers/stage-kit/backfill-progress';
import { readObjectRejects } from '../../handlers/stage-kit/write-rejects';
import { stageTargetArn } from '../../infra/emulators/bus/bus-arns';
import { publishBackfill } from '../../infra/operator/cli/publish-backfill';
import type { EmbeddedRuntime } from '../../infra/local/runtime/embedded-runtime';
import { allRuns, dropFiles, openRuntime, queryRows, readSample, runCensus, settle, tempDirs } from './pipeline-harness';
import { generateTrafficSample } from '../../infra/shipped/traffic-sample';
import { reading, trafficCopy } from './traffic-copy';

jest.setTimeout(180_000);

const DATASET = 'filly';

/** Every refined row as `<hour partition> <sensor> <time> <speed>`, sorted. */
async function refinedRows(rt: EmbeddedRuntime): Promise<string[]> {
  const rows = await queryRows(rt, `SELECT year, month, day, hour, uniqueid, recordtimestamp, currentspeed FROM tributary_refined.${DATASET}`);
  return rows.map((r) => `${r['year'] ?? ''}-${r['month'] ?? ''}-${r['day'] ?? ''}T${r['hour'] ?? ''} ${r['uniqueid'] ?? ''} ${r['recordtimestamp'] ?? ''} ${r['currentspeed'] ?? ''}`).sort();
}

/** Backfills through the bus as `tributary backfill` does, and waits until the pipeline is quiescent. */
async function backfillAndSettle(rt: EmbeddedRuntime, detail: BackfillRequestedDetail): Promise<void> {
  await publishBackfill(rt, detail);
  await settle(rt);
}

describe('tributary backfill', () => {
  const dir = tempDirs();

  it('after a refine SQL change rewrites exactly the window\'s partitions, twice gives the same table, and a subscriber sees BackfillRequested', async () => {
    const home = await dir('backfill');
    const folder = await trafficCopy(home, DATASET);
    const rt = await openRuntime(home);
    try {
      const hours = ['2026-03-02T08', '2026-03-02T09', '2026-03-02T10', '2026-03-04T10'];
      await dropFiles(home, hours.map((h, i) => ({ key: `${DATASET}/${h.replace(/[-T]/g, '/')}/part-${i}.jsonl`, body: `${reading('F1', `${h}:05:00.000Z`, 60 + i)}\n${reading('F2', `${h}:10:00.000Z`, 70 + i)}\n` })));
      await settle(rt);
      expect(runCensus(await allRuns(rt))).toEqual({ 'refine:succeeded': hours.length });
      const before = await refinedRows(rt);
      expect(before).toHaveLength(hours.length * 2);

      const seen: unknown[] = [];
      rt.bus.registerStageHandler('subscriber', async (event) => {
        seen.push(event);
      });
      await rt.bus.putRule({ Name: 'backfill-subscriber', EventBusName: localTopologyNames.busName, EventPattern: JSON.stringify({ source: [TRIBUTARY_SOURCE], 'detail-type': [DomainDetailType.BackfillRequested] }) });
      await rt.bus.putTargets({ Rule: 'backfill-subscriber', EventBusName: localTopologyNames.busName, Targets: [{ Id: 'subscriber', Arn: stageTargetArn('subscriber') }] });

      // The refine SQL changes: speeds are doubled from now on.
      const sqlFile = path.join(folder, 'refine.sql');
      const sql = await readFile(sqlFile, 'utf8');
      const at = sql.lastIndexOf('  currentspeed,\n');
      await writeFile(sqlFile, `${sql.slice(0, at)}  currentspeed * 2 AS currentspeed,\n${sql.slice(at + '  currentspeed,\n'.length)}`);

      const window = { schemaVersion: 1, dataset: DATASET, from: '2026-03-02T08:00:00.000Z', to: '2026-03-02T10:00:00.000Z', forecastOnly: false } as const;
      await backfillAndSettle(rt, { ...window, backfillId: 'backfill-test-1' });
      expect(await backfillProgress(rt.deps.jobs, 'backfill-test-1')).toEqual({ dataset: DATASET, done: 2, total: 2, forecastOnly: false });
      const after = await refinedRows(rt);
      const inWindow = (row: string): boolean => row.startsWith('2026-03-02T08') || row.startsWith('2026-03-02T09');
      // Outside the window: untouched; inside: the new SQL's speeds.
      expect(after.filter((r) => !inWindow(r))).toEqual(before.filter((r) => !inWindow(r)));
      expect(after.filter(inWindow)).toEqual(before.filter(inWindow).map((r) => r.replace(/ (\d+)$/, (_m, speed: string) => ` ${Number(speed) * 2}`)).sort());
      // The runs were not touched.
      expect(runCensus(await allRuns(rt))).toEqual({ 'refine:succeeded': hours.length });

      await backfillAndSettle(rt, { ...window, backfillId: 'backfill-test-2' });
      expect(await refinedRows(rt)).toEqual(after);
      expect(await backfillProgress(rt.deps.jobs, 'backfill-test-2')).toEqual({ dataset: DATASET, done: 2, total: 2, forecastOnly: false });

      expect(seen).toEqual([
        expect.objectContaining({ source: TRIBUTARY_SOURCE, 'detail-type': 'BackfillRequested', detail: { ...window, backfillId: 'backfill-test-1' } }),
        expect.objectContaining({ 'detail-type': 'BackfillRequested', detail: { ...window, backfillId: 'backfill-test-2' } }),
      ]);
    } finally {
      await rt.close();
    }
  });

  it('--forecast-only re-forecasts the window\'s origins alone: same forecast table, a ForecastReady naming the backfill, runs untouched', async () => {
    const home = await dir('backfill-forecast-only');
    const sampleDir = path.join(home, 'sample');
    const sample = await generateTrafficSample({ outDir: sampleDir, sensors: 2, hours: 4, seed: 3 });
    const rt = await openRuntime(home);
    try {
      await dropFiles(home, await readSample(sampleDir, sample.keys));
      await settle(rt);
      const census = runCensus(await allRuns(rt));
      expect(census).toEqual({ 'forecast:succeeded': sample.keys.length });
      const forecast = async (): Promise<string[]> => (await queryRows(rt, 'SELECT uniqueid, origin_time, target_time, step, prediction FROM tributary_forecast.traffic')).map((r) => JSON.stringify(r)).sort();
      const before = await forecast();
      expect(before.length).toBeGreaterThan(0);
      const ready: { backfillId?: string; partitions: unknown[] }[] = [];
      rt.bus.onEvent(({ event }) => {
        if (event['detail-type'] === 'ForecastReady') ready.push(event.detail as { backfillId?: string; partitions: unknown[] });
      });
      const [first] = [...before].map((r) => (JSON.parse(r) as { origin_time: string }).origin_time).sort();
      const from = new Date(Date.parse(first ?? '') - (Date.parse(first ?? '') % 3_600_000)).toISOString();
      const to = new Date(Date.parse(from) + 2 * 3_600_000).toISOString();
      await backfillAndSettle(rt, { schemaVersion: 1, dataset: 'traffic', from, to, forecastOnly: true, backfillId: 'backfill-forecast-1' });
      expect(ready.filter((r) => r.backfillId === 'backfill-forecast-1').length).toBe(1);
      expect(ready.find((r) => r.backfillId === 'backfill-forecast-1')?.partitions.length).toBeGreaterThan(0);
      expect(await forecast()).toEqual(before);
      expect(runCensus(await allRuns(rt))).toEqual(census);
    } finally {
      await rt.close();
    }
  });

  it('rebuilds the rejects of the window\'s objects with the current rejects SQL, and only theirs', async () => {
    const home = await dir('backfill-rejects');
    const folder = await trafficCopy(home, DATASET);
    const rt = await openRuntime(home);
    try {
      const hours = ['2026-03-02T08', '2026-03-04T10'];
      // Each file: one valid reading and one above 250 km/h (rejected as speed_sentinel).
      await dropFiles(home, hours.map((h, i) => ({ key: `${DATASET}/${h.replace(/[-T]/g, '/')}/part-${i}.jsonl`, body: `${reading('F1', `${h}:05:00.000Z`, 60)}\n${reading('F2', `${h}:10:00.000Z`, 252)}\n` })));
      await settle(rt);
      const reasons = async (): Promise<Record<string, string[]>> => {
        const out: Record<string, string[]> = {};
        for (const run of await allRuns(rt)) {
          const lines = await readObjectRejects(rt.deps, DATASET, run.object);
          out[run.object.key.split('/').pop() ?? ''] = lines.map((l) => (JSON.parse(l) as { reason: string }).reason);
        }
        return out;
      };
      expect(await reasons()).toEqual({ 'part-0.jsonl': ['speed_sentinel'], 'part-1.jsonl': ['speed_sentinel'] });
      // The rejects SQL changes: the sentinel codes get a reason of their own.
      const sqlFile = path.join(folder, 'rejects.sql');
      await writeFile(sqlFile, (await readFile(sqlFile, 'utf8')).replace("THEN 'speed_sentinel'", "THEN 'device_status_code'"));
      await backfillAndSettle(rt, { schemaVersion: 1, dataset: DATASET, from: '2026-03-02T08:00:00.000Z', to: '2026-03-02T09:00:00.000Z', forecastOnly: false, backfillId: 'backfill-rejects-1' });
      expect(await reasons()).toEqual({ 'part-0.jsonl': ['device_status_code'], 'part-1.jsonl': ['speed_sentinel'] });
    } finally {
      await rt.close();
    }
  });
});
