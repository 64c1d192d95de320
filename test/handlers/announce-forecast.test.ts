import '../integration/quiet-logs';
import { promises as fs } from 'node:fs';
import { announceForecast } from '../../handlers/announce-forecast';
import type { JobStore } from '../../handlers/ports/job-store';
import { EmbeddedRuntime } from '../../infra/local/runtime/embedded-runtime';
import { queryRows, settle, tempDir } from '../integration/pipeline-harness';
import { finishedJob, landRuns, liveRows } from './forecast-fixtures';

jest.setTimeout(120_000);

const HOUR = 3_600_000;
const OLD = '2026-02-01T00:00:01.000Z/old';
const NEW = '2026-02-01T00:00:02.000Z/new';

let home: string;
let rt: EmbeddedRuntime;
let runIds: string[];

beforeAll(async () => {
  home = await tempDir('announce-forecast');
  rt = await EmbeddedRuntime.open({ home, consoleAlerts: false, watch: false, backoffBaseMs: 20, backoffMaxMs: 500 });
  runIds = await landRuns(rt, 'run-a', 'run-b');
});
afterAll(async () => {
  await rt.close();
  await fs.rm(home, { recursive: true, force: true });
});

/**
 * Two jobs cover the same two origins. The older one read the refined table while both origins had
 * data; the newer one read it later, when the second had none (so it has no records there). Whatever
 * order their announcements land in, the forecast is the newer job's: the second origin is removed.
 */
function jobsOf(day: string): { o1: number; o2: number; older: string; newer: string; covered: number[] } {
  const o1 = Date.parse(`${day}T05:00:00.000Z`);
  return { o1, o2: o1 + HOUR, older: `tributary-traffic-old-${day}`, newer: `tributary-traffic-new-${day}`, covered: [o1, o1 + HOUR] };
}

async function recordBoth(day: string): Promise<ReturnType<typeof jobsOf>> {
  const j = jobsOf(day);
  await finishedJob(rt.deps, { name: j.older, generation: OLD, covered: j.covered, runIds: [runIds[0] ?? ''], lines: [{ sensor: 'S1', origin: j.o1, speed: 10 }, { sensor: 'S1', origin: j.o2, speed: 11 }] });
  await finishedJob(rt.deps, { name: j.newer, generation: NEW, covered: j.covered, runIds: [runIds[1] ?? ''], lines: [{ sensor: 'S1', origin: j.o1, speed: 20 }, { sensor: 'S2', origin: j.o1, speed: 21 }] });
  return j;
}

describe('announce-forecast: a job replaces exactly the forecast partitions of the origins it covers', () => {
  it('an older job announced after a newer one changes nothing, not even an origin the newer one left without rows', async () => {
    const j = await recordBoth('2026-03-01');
    await announceForecast({ name: j.newer, status: 'Completed' }, rt.deps);
    await announceForecast({ name: j.older, status: 'Completed' }, rt.deps);
    expect(await liveRows(rt.deps, j.o1)).toEqual(['S1 20', 'S2 21']);
    expect(await liveRows(rt.deps, j.o2)).toEqual([]);
  });

  it('a newer job announced after an older one removes the origin it has no rows for, and the crawl drops it from the table', async () => {
    const j = await recordBoth('2026-03-02');
    await announceForecast({ name: j.older, status: 'Completed' }, rt.deps);
    expect(await liveRows(rt.deps, j.o2)).toEqual(['S1 11']);
    await announceForecast({ name: j.newer, status: 'Completed' }, rt.deps);
    expect(await liveRows(rt.deps, j.o1)).toEqual(['S1 20', 'S2 21']);
    expect(await liveRows(rt.deps, j.o2)).toEqual([]);
    await settle(rt);
    const rows = await queryRows(rt, `SELECT uniqueid, prediction, origin_time, model, model_version FROM tributary_forecast.traffic WHERE day = '02' AND month = '03' ORDER BY uniqueid`);
    expect(rows.map((r) => `${r['uniqueid'] ?? ''} ${r['prediction'] ?? ''} ${r['model'] ?? ''} ${r['model_version'] ?? ''}`)).toEqual(['S1 20 ridge-lags test-model', 'S2 21 ridge-lags test-model']);
  });

  it('an older job that claimed a partition just before the newer one finished does not overwrite it', async () => {
    const j = await recordBoth('2026-03-03');
    let raced = false;
    // The newer job's whole announcement runs right after the older job's first claim succeeds.
    const racing: JobStore = {
      putJob: (kind, id, record) => rt.deps.jobs.putJob(kind, id, record),
      getJob: (kind, id) => rt.deps.jobs.getJob(kind, id),
      heldPartitions: (table, partitions, generation) => rt.deps.jobs.heldPartitions(table, partitions, generation),
      claimPartition: async (table, partition, generation) => {
        const claimed = await rt.deps.jobs.claimPartition(table, partition, generation);
        if (!raced) {
          raced = true;
          await announceForecast({ name: j.newer, status: 'Completed' }, rt.deps);
        }
        return claimed;
      },
    };
    await announceForecast({ name: j.older, status: 'Completed' }, { ...rt.deps, jobs: racing });
    expect(raced).toBe(true);
    expect(await liveRows(rt.deps, j.o1)).toEqual(['S1 20', 'S2 21']);
    expect(await liveRows(rt.deps, j.o2)).toEqual([]);
  });

  it('running an announcement again (a crash after its swap) leaves the same partitions', async () => {
    const j = await recordBoth('2026-03-04');
    await announceForecast({ name: j.older, status: 'Completed' }, rt.deps);
    await announceForecast({ name: j.newer, status: 'Completed' }, rt.deps);
    await announceForecast({ name: j.newer, status: 'Completed' }, rt.deps);
    await announceForecast({ name: j.older, status: 'Completed' }, rt.deps);
    expect(await liveRows(rt.deps, j.o1)).toEqual(['S1 20', 'S2 21']);
    expect(await liveRows(rt.deps, j.o2)).toEqual([]);
    await settle(rt);
  });
});
