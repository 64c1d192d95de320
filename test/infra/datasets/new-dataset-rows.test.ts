import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { EventBusTransport } from '../../../events/put-events';
import { runQuery } from '../../../handlers/ports/query-engine';
import { bindStatement } from '../../../handlers/sql/bind-sql';
import { CRAWLER_CONFIGURATION } from '../../../handlers/stage-kit/crawler-configuration';
import { readQueryRows } from '../../../handlers/stage-kit/read-query-rows';
import { newDataset } from '../../../infra/datasets/new-dataset';
import { JsonFileCatalog } from '../../../infra/emulators/catalog/json-file-catalog';
import { DuckDbCrawler } from '../../../infra/emulators/crawler/duckdb-crawler';
import { DuckDbQueryEngine } from '../../../infra/emulators/query/duckdb-query-engine';

const DATA = path.join(__dirname, '..', '..', '..', 'node_modules', 'vega-datasets', 'data');
const quiet: EventBusTransport = { putEvents: async (entries) => ({ FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: 'x' })) }) };

/**
 * The generated SQL on real rows: the sample file is crawled by the local crawler into
 * tributary_raw.<name>, then the refine and rejects SELECTs run over it through the local Athena
 * engine, bound as the stages bind them; every raw row is refined, rejected or a duplicate.
 */
describe('the SQL dataset new writes, on the rows of its sample', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tributary-new-rows-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const account = async (name: string, file: string, request: { eventTime: string; timeFormat?: string }): Promise<{ refined: number; rejected: Record<string, number>; duplicates: number }> => {
    const home = path.join(root, name);
    const dir = path.join(home, 'datasets', name);
    await newDataset({ name, from: file, dir, ...request });
    const key = `${name}/${path.basename(file)}`;
    await mkdir(path.join(home, 'lake', 'raw', name), { recursive: true });
    await cp(file, path.join(home, 'lake', 'raw', key));
    const catalog = new JsonFileCatalog(home);
    await catalog.createDatabase({ Name: 'tributary_raw' });
    const crawler = new DuckDbCrawler({ home, catalog, bus: quiet });
    await crawler.createCrawler({ Name: 'raw', DatabaseName: 'tributary_raw', Targets: { S3Targets: [{ Path: `s3://tributary-raw/${name}/` }] }, Configuration: CRAWLER_CONFIGURATION });
    await crawler.startCrawler('raw');
    await crawler.awaitCrawl('raw');
    await crawler.close();
    const engine = await DuckDbQueryEngine.create({ home, catalog, bus: quiet });
    try {
      const query = async (sql: string): Promise<Record<string, string | undefined>[]> => {
        const execution = await runQuery(engine, { QueryString: sql, QueryExecutionContext: { Database: 'tributary_raw' } });
        if (execution.Status.State !== 'SUCCEEDED') throw new Error(execution.Status.StateChangeReason);
        return readQueryRows(engine, execution.QueryExecutionId);
      };
      const objects = [`s3://tributary-raw/${key}`];
      const refine = bindStatement({ file: 'refine.sql', sql: await readFile(path.join(dir, 'refine.sql'), 'utf8') }, { raw_database: { identifier: 'tributary_raw' }, window_start: '1900-01-01 00:00:00', window_end: '2100-01-01 00:00:00', lookback_minutes: 0, objects });
      const rejects = bindStatement({ file: 'rejects.sql', sql: await readFile(path.join(dir, 'rejects.sql'), 'utf8') }, { raw_database: { identifier: 'tributary_raw' }, objects });
      const [refined] = await query(`SELECT count(*) AS n, coalesce(sum(cardinality(duplicate_objects)), 0) AS d FROM (${refine}\n) r`);
      const rejected = await query(`SELECT reason, count(*) AS n FROM (${rejects}\n) r GROUP BY reason`);
      return { refined: Number(refined?.['n']), duplicates: Number(refined?.['d']), rejected: Object.fromEntries(rejected.map((r) => [r['reason'] ?? '', Number(r['n'])])) };
    } finally {
      await engine.close();
    }
  };

  it('daily weather CSV with a repeated row, an empty and a malformed date: 1 461 refined, 2 rejected, 1 duplicate', async () => {
    const text = await readFile(path.join(DATA, 'seattle-weather.csv'), 'utf8');
    const lines = text.trimEnd().split('\n');
    const file = path.join(root, 'seattle-weather.csv');
    await writeFile(file, [...lines, lines[1] ?? '', ',1.0,2.0,3.0,4.0,rain', '2015-13-45,1.0,2.0,3.0,4.0,rain'].join('\n') + '\n');
    expect(lines.length - 1).toBe(1461);
    expect(await account('weather', file, { eventTime: 'date' })).toEqual({ refined: 1461, duplicates: 1, rejected: { missing_event_time: 1, bad_event_time: 1 } });
  });

  it('a Parquet slice of the flights, event time a timestamp column: every row refined or a duplicate', async () => {
    const file = path.join(root, 'flights.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    await conn.run(`COPY (SELECT * FROM read_parquet('${path.join(DATA, 'flights-3m.parquet')}') LIMIT 3000) TO '${file}' (FORMAT PARQUET)`);
    const distinct = Number((await conn.runAndReadAll(`SELECT count(*) FROM (SELECT DISTINCT * FROM read_parquet('${file}'))`)).getRowsJson()[0]?.[0]);
    conn.closeSync();
    instance.closeSync();
    expect(await account('flights', file, { eventTime: 'date' })).toEqual({ refined: distinct, duplicates: 3000 - distinct, rejected: {} });
  });

  it('the flights as JSON lines with a strptime event time: every row refined or a duplicate', async () => {
    const file = path.join(root, 'flights.jsonl');
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    await conn.run(`COPY (SELECT * FROM read_json('${path.join(DATA, 'flights-2k.json')}', format = 'array')) TO '${file}' (FORMAT JSON)`);
    const distinct = Number((await conn.runAndReadAll(`SELECT count(*) FROM (SELECT DISTINCT * FROM read_json('${file}'))`)).getRowsJson()[0]?.[0]);
    conn.closeSync();
    instance.closeSync();
    expect(await account('flights_lines', file, { eventTime: 'date', timeFormat: '%Y/%m/%d %H:%M' })).toEqual({ refined: distinct, duplicates: 2000 - distinct, rejected: {} });
  });
});
