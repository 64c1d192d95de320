import { promises as fs } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { JsonFileCatalog } from '../../../../infra/emulators/catalog/json-file-catalog';
import { runCrawl } from '../../../../infra/emulators/crawler/run-crawl';
import { jsonl, makeHome } from './lake-fixture';

describe('runCrawl while a partition swap replaces files', () => {
  let lake: Awaited<ReturnType<typeof makeHome>>;
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  let catalog: JsonFileCatalog;

  beforeEach(async () => {
    lake = await makeHome();
    instance = await DuckDBInstance.create(':memory:');
    conn = await instance.connect();
    catalog = new JsonFileCatalog(lake.home);
    await catalog.createDatabase({ Name: 'refined' });
  });
  afterEach(async () => {
    conn.closeSync();
    instance.closeSync();
    await lake.dispose();
  });

  /** A connection that runs `during` once, just before the crawl's first inference query. */
  function connectionSwappingOnce(during: () => Promise<void>): DuckDBConnection {
    let done = false;
    const runAndReadAll: DuckDBConnection['runAndReadAll'] = async (...args) => {
      if (!done) {
        done = true;
        await during();
      }
      return conn.runAndReadAll(...args);
    };
    return Object.assign(Object.create(conn) as DuckDBConnection, { runAndReadAll });
  }

  const crawler = { Name: 'c', DatabaseName: 'refined', Targets: { S3Targets: [{ Path: 's3://tributary-refined/traffic/' }] } };

  it('skips a file deleted after it was listed and lists again, so the partition is crawled with its new file', async () => {
    await lake.write('refined', 'traffic/hour=01/job1-a.json', jsonl({ id: 1 }));
    const old = await lake.write('refined', 'traffic/hour=02/job1-b.json', jsonl({ id: 2 }));
    // A swap of hour=02 moves the new file in, then deletes the old one, while hour=01 is being inferred.
    const swap = async (): Promise<void> => {
      await lake.write('refined', 'traffic/hour=02/job2-b.json', jsonl({ id: 3 }));
      await fs.rm(old);
    };
    const report = await runCrawl({ conn: connectionSwappingOnce(swap), catalog, home: lake.home, cache: new Map() }, crawler, 'run-1', new Date().toISOString());
    expect(report).toMatchObject({ status: 'SUCCEEDED', tables: ['traffic'], unreadableObjects: [] });
    const partitions = await catalog.getPartitions('refined', 'traffic');
    expect(partitions.map((p) => p.Values)).toEqual([['01'], ['02']]);
  });

  it('leaves out a partition whose only file was deleted for good during the crawl', async () => {
    await lake.write('refined', 'traffic/hour=01/a.json', jsonl({ id: 1 }));
    const gone = await lake.write('refined', 'traffic/hour=02/b.json', jsonl({ id: 2 }));
    const report = await runCrawl({ conn: connectionSwappingOnce(() => fs.rm(gone)), catalog, home: lake.home }, crawler, 'run-1', new Date().toISOString());
    expect(report).toMatchObject({ status: 'SUCCEEDED', unreadableObjects: [] });
    expect((await catalog.getPartitions('refined', 'traffic')).map((p) => p.Values)).toEqual([['01']]);
  });
});
