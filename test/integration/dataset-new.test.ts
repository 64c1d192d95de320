import './quiet-logs';
import { spawnSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { newDataset, type NewDatasetRequest } from '../../infra/datasets/new-dataset';
import { unaccounted } from '../../handlers/stage-kit/row-accounting';
import { allRuns, dropFiles, openRuntime, queryRows, settle, tempDirs } from './pipeline-harness';

jest.setTimeout(300_000);

const DATA = path.join(__dirname, '..', '..', 'node_modules', 'vega-datasets', 'data');
const BIN = path.join(__dirname, '..', '..', 'infra', 'operator', 'cli', 'bin.cjs');

/** A real public file split into a few drops, as a user who lands data over time would. */
interface Case {
  readonly request: Omit<NewDatasetRequest, 'dir'>;
  /** The sample `dataset new` reads, and the files dropped afterwards (key under the dataset, body). */
  readonly sample: string;
  readonly drops: (scratch: string) => Promise<{ name: string; body: Buffer }[]>;
  /** The rows in all drops together. */
  readonly rows: number;
}

/** Seattle's daily weather (CSV, 4 years), one file per year; forecast of the daily maximum temperature. */
const weather: Case = {
  request: { name: 'weather', from: path.join(DATA, 'seattle-weather.csv'), eventTime: 'date', forecast: { target: 'temp_max', groupBy: [], every: '1d', horizon: 7 } },
  sample: path.join(DATA, 'seattle-weather.csv'),
  drops: async () => {
    const [header, ...lines] = readFileSync(path.join(DATA, 'seattle-weather.csv'), 'utf8').trim().split('\n');
    return ['2012', '2013', '2014', '2015'].map((year) => ({ name: `weather-${year}.csv`, body: Buffer.from(`${header}\n${lines.filter((l) => l.startsWith(year)).join('\n')}\n`) }));
  },
  rows: 1461,
};

/** 2,000 flights (a JSON array of objects, strptime times), two drops; hourly mean delay forecast per origin airport. */
const flights: Case = {
  request: { name: 'flights', from: path.join(DATA, 'flights-2k.json'), eventTime: 'date', timeFormat: '%Y/%m/%d %H:%M', forecast: { target: 'delay', groupBy: ['origin'], every: '1h', horizon: 6 } },
  sample: path.join(DATA, 'flights-2k.json'),
  drops: async () => {
    const all: unknown[] = JSON.parse(readFileSync(path.join(DATA, 'flights-2k.json'), 'utf8'));
    return [all.slice(0, 1000), all.slice(1000)].map((part, i) => ({ name: `flights-${i}.json`, body: Buffer.from(JSON.stringify(part)) }));
  },
  rows: 2000,
};

/** 3,000 rows of the 3M-flight Parquet file, written as three Parquet drops; no forecast. */
const flightsParquet: Case = {
  request: { name: 'flights_parquet', from: '', eventTime: 'date' },
  sample: '',
  drops: async (scratch) => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const files: { name: string; body: Buffer }[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const file = path.join(scratch, `flights-${i}.parquet`);
        await c.run(`COPY (SELECT * FROM read_parquet('${path.join(DATA, 'flights-3m.parquet')}') LIMIT 1000 OFFSET ${i * 1000}) TO '${file}' (FORMAT parquet)`);
        files.push({ name: `flights-${i}.parquet`, body: await fs.readFile(file) });
      }
    } finally {
      c.closeSync();
      db.closeSync();
    }
    return files;
  },
  rows: 3000,
};

/**
 * US unemployment by industry (14 series, monthly, 2000–2010), written as JSON lines in three drops;
 * partitioned by month, a monthly forecast of the unemployed count per industry.
 */
const unemployment: Case = {
  request: { name: 'unemployment', from: '', eventTime: 'date', grain: 'month', forecast: { target: 'count', groupBy: ['series'], every: '1mo', horizon: 3 } },
  sample: '',
  drops: async (scratch) => {
    const all: { date: string }[] = JSON.parse(readFileSync(path.join(DATA, 'unemployment-across-industries.json'), 'utf8'));
    const spans = [['2000', '2004'], ['2004', '2008'], ['2008', '2011']] as const;
    const drops = spans.map(([from, to], i) => ({
      name: `unemployment-${i}.jsonl`,
      body: Buffer.from(`${all.filter((r) => r.date >= from && r.date < to).map((r) => JSON.stringify(r)).join('\n')}\n`),
    }));
    for (const drop of drops) await fs.writeFile(path.join(scratch, drop.name), drop.body);
    return drops;
  },
  rows: 1708,
};

describe('a dataset made by `dataset new` from real public data: drop files of its shape and it just works', () => {
  const tempDir = tempDirs();

  it.each([
    ['weather CSV by day, with a forecast', weather],
    ['flights JSON array by hour, a forecast per origin', flights],
    ['flights Parquet by hour', flightsParquet],
    ['unemployment JSON lines by month, a forecast per industry', unemployment],
  ])('%s: every run ends, raw rows = refined + rejected + duplicates, the forecast runs', async (_, spec) => {
    const root = await tempDir(`dataset-new-${spec.request.name}`);
    const home = path.join(root, 'home');
    const scratch = path.join(root, 'scratch');
    await fs.mkdir(scratch, { recursive: true });
    const drops = await spec.drops(scratch);
    // The Parquet and JSON-lines cases sample their own first drop, as a user would sample a file they have.
    const from = spec.request.from === '' ? path.join(scratch, drops[0]?.name ?? '') : spec.request.from;
    await newDataset({ ...spec.request, from, dir: path.join(home, 'datasets', spec.request.name) });
    const rt = await openRuntime(home);
    try {
      await dropFiles(home, drops.map((d, i) => ({ key: `${spec.request.name}/2026/12/06/${String(10 + i)}/${d.name}`, body: d.body })));
      await settle(rt);
      const runs = await allRuns(rt);
      expect(runs).toHaveLength(drops.length);
      const last = spec.request.forecast ? 'forecast' : 'refine';
      for (const run of runs) expect({ key: run.object.key, stage: run.lastStage, status: run.lastStatus, error: run.error?.message }).toEqual({ key: run.object.key, stage: last, status: 'succeeded', error: undefined });
      expect(runs.filter((r) => !r.rowCounts || unaccounted(r.rowCounts) !== 0)).toEqual([]);
      expect(runs.reduce((n, r) => n + (r.rowCounts?.read ?? 0), 0)).toBe(spec.rows);
      const [refined] = await queryRows(rt, `SELECT count(*) AS n FROM tributary_refined.${spec.request.name}`);
      const rejected = runs.reduce((n, r) => n + (r.rowCounts?.rejected ?? 0) + (r.rowCounts?.duplicates ?? 0), 0);
      expect(Number(refined?.['n']) + rejected).toBe(spec.rows);
      if (spec.request.forecast) {
        const [forecast] = await queryRows(rt, `SELECT count(*) AS n, count(DISTINCT model) AS models, min(model_version) AS version FROM tributary_forecast.${spec.request.name}`);
        expect(Number(forecast?.['n'])).toBeGreaterThan(0);
        // No trained artifact yet: the forecast stage says it uses the untrained baselines.
        expect(forecast?.['version']).toBe('untrained');
      }
    } finally {
      await rt.close();
    }
    if (spec.request.forecast) {
      // `train` backtests every candidate on the refined history and keeps the best (MASE against seasonal-naive).
      const train = spawnSync(process.execPath, [BIN, '--home', home, 'train', spec.request.name], { encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
      expect({ status: train.status, stderr: train.status === 0 ? '' : train.stderr }).toEqual({ status: 0, stderr: '' });
      expect(train.stdout).toMatch(/seasonal-naive\s+\d+\.\d+\s+\d+\.\d+/);
      // The learned model is scored, or named with the reason it could not be (too little history per series).
      expect(train.stdout).toMatch(/ridge-lags\s+\d+\.\d+\s+\d+\.\d+|not scored: ridge-lags: /);
      expect(train.stdout).toMatch(/chosen: \S+ v\d+-[0-9a-f]+; saved/);
    }
  });
});
