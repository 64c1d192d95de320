import '../integration/quiet-logs';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDatasetManifest } from '../../contracts/dataset-manifest';
import { tallyGroupOf, WINDOWS_PER_TALLY } from '../../handlers/announce-refined';
import { localTopology, type EmbeddedRuntime } from '../../infra/local/runtime/embedded-runtime';
import { addDatasetFolder, VEGA_DATA, writeDatasetFolder } from '../integration/dataset-folders';
import { allRuns, dropFiles, duplicateEveryDelivery, openRuntime, queryRows, settle, tempDirs } from '../integration/pipeline-harness';

jest.setTimeout(240_000);

describe('tallyGroupOf', () => {
  it('groups a refine\'s windows in runs of WINDOWS_PER_TALLY consecutive windows, in planned order', () => {
    const ids = Array.from({ length: 10 }, (_, i) => `w${i}`);
    expect(WINDOWS_PER_TALLY).toBe(4);
    expect(tallyGroupOf(ids, 'w0')).toEqual(['w0', 'w1', 'w2', 'w3']);
    expect(tallyGroupOf(ids, 'w5')).toEqual(['w4', 'w5', 'w6', 'w7']);
    expect(tallyGroupOf(ids, 'w9')).toEqual(['w8', 'w9']);
    expect(tallyGroupOf(['only'], 'only')).toEqual(['only']);
  });
});

describe('announce-refined: a refine of several windows', () => {
  const runtimes: EmbeddedRuntime[] = [];
  afterAll(async () => {
    for (const rt of runtimes) await rt.close();
  });
  // Registered after the runtimes' close, so the folders go once they are closed.
  const tempDir = tempDirs();

  /** 450 days of Seattle weather by day (5 refine windows) through a fresh runtime, each event delivered twice when asked. */
  async function refineDays(twice: boolean): Promise<{ windows: number; tallies: number; rt: EmbeddedRuntime }> {
    const home = await tempDir('tally-home-');
    const datasets = await tempDir('tally-datasets-');
    await writeDatasetFolder(datasets, {
      manifest: parseDatasetManifest({
        name: 'weather_days',
        description: 'Seattle daily weather by day: 450 days, 5 refine windows',
        raw: { format: 'csv' },
        eventTime: { column: 'date', format: 'iso8601' },
        partitioning: { by: 'day', keys: ['year', 'month', 'day'] },
        lookback: { minutes: 0 },
        quality: [],
        refine: { sql: 'refine.sql', rejectsSql: 'rejects.sql' },
      }),
      columns: ['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather'],
      rejects: [['bad_date', 'try(from_iso8601_date("date")) IS NULL']],
    });
    const rt = await openRuntime(home);
    runtimes.push(rt);
    addDatasetFolder(rt, datasets);
    if (twice) await duplicateEveryDelivery(rt);
    const started = jest.spyOn(rt.deps.query, 'startQueryExecution');
    const [header = '', ...rows] = readFileSync(path.join(VEGA_DATA, 'seattle-weather.csv'), 'utf8').trim().split('\n');
    await dropFiles(home, [{ key: 'weather_days/days.csv', body: [header, ...rows.slice(0, 450)].join('\n') }]);
    await settle(rt, 200_000);
    const queries = started.mock.calls.map(([input]) => input);
    const windows = new Set(queries.filter((q) => q.WorkGroup === localTopology.names.athenaWorkgroup && q.QueryString.includes('partitioned_by')).map((q) => q.QueryString)).size;
    const tallies = queries.filter((q) => q.WorkGroup === localTopology.readWorkgroup && q.QueryString.includes('weather_days_staged_')).length;
    return { windows, tallies, rt };
  }

  /** The one run balanced and every row in the partition of its day. */
  async function expectEveryRowOnce(rt: EmbeddedRuntime): Promise<void> {
    const [run, ...others] = (await allRuns(rt)).filter((r) => r.dataset === 'weather_days');
    expect(others).toEqual([]);
    expect({ stage: run?.lastStage, status: run?.lastStatus, counts: run?.rowCounts }).toEqual({ stage: 'refine', status: 'succeeded', counts: { read: 450, refined: 450, rejected: 0, duplicates: 0 } });
    const [row] = await queryRows(rt, `SELECT count(*) AS n, count(DISTINCT year || month || day) AS days, count_if(concat(year, '-', month, '-', day) <> "date") AS misplaced FROM tributary_refined.weather_days`);
    expect(row).toEqual({ n: '450', days: '450', misplaced: '0' });
  }

  it('counts its windows\' staged rows in one tally query per group of windows, not one per window, and every row balances', async () => {
    const { windows, tallies, rt } = await refineDays(false);
    expect(windows).toBe(5);
    expect(tallies).toBe(Math.ceil(windows / WINDOWS_PER_TALLY));
    await expectEveryRowOnce(rt);
  });

  it('with every event delivered twice, each group is still tallied and swapped once and every row lands once', async () => {
    const { windows, tallies, rt } = await refineDays(true);
    expect(windows).toBe(5);
    expect(tallies).toBe(Math.ceil(windows / WINDOWS_PER_TALLY));
    await expectEveryRowOnce(rt);
  });
});
