import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { GluePartitionInput } from '../../../../handlers/ports/catalog';
import type { CrawlerInput } from '../../../../handlers/ports/crawler';
import { CRAWLER_CONFIGURATION, CRAWLER_SCHEMA_CHANGE_POLICY } from '../../../../handlers/stage-kit/crawler-configuration';
import { JsonFileCatalog } from '../../../../infra/emulators/catalog/json-file-catalog';
import { CrawlerEventQueue } from '../../../../infra/emulators/crawler/crawler-event-queue';
import { DuckDbCrawler } from '../../../../infra/emulators/crawler/duckdb-crawler';
import { jsonl, makeHome, RecordingBus } from './lake-fixture';

const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:ev-events';
const TARGET = 's3://tributary-raw/traffic/';
/** A catalog whose partition writes fail while `broken` is set: a crawl cut off after its listing, before the catalog. */
class FlakyCatalog extends JsonFileCatalog {
  broken = false;
  override async batchCreatePartition(database: string, table: string, inputs: readonly GluePartitionInput[]): Promise<{ alreadyExists: string[][] }> {
    if (this.broken) throw new Error('catalog unavailable');
    return super.batchCreatePartition(database, table, inputs);
  }
}
const rec = (extra: Record<string, unknown> = {}) => ({ sensor_id: 'S1', speed: 50.5, ts: '2024-01-01T00:00:00Z', ...extra });

describe('DuckDbCrawler in S3 event mode (CRAWL_EVENT_MODE)', () => {
  let lake: Awaited<ReturnType<typeof makeHome>>;
  let catalog: FlakyCatalog;
  let crawler: DuckDbCrawler;

  beforeEach(async () => {
    lake = await makeHome();
    catalog = new FlakyCatalog(lake.home);
    for (const db of ['events', 'full']) await catalog.createDatabase({ Name: db });
    crawler = new DuckDbCrawler({ home: lake.home, catalog, bus: new RecordingBus() });
  });
  afterEach(async () => {
    await crawler.close();
    await lake.dispose();
  });

  const definition = (name: string, database: string, eventMode: boolean): CrawlerInput => ({
    Name: name,
    DatabaseName: database,
    Targets: { S3Targets: [{ Path: TARGET, ...(eventMode ? { EventQueueArn: QUEUE } : {}) }] },
    SchemaChangePolicy: CRAWLER_SCHEMA_CHANGE_POLICY,
    RecrawlPolicy: { RecrawlBehavior: eventMode ? 'CRAWL_EVENT_MODE' : 'CRAWL_EVERYTHING' },
    Configuration: CRAWLER_CONFIGURATION,
  });
  async function crawl(on: DuckDbCrawler, name: string) {
    await on.startCrawler(name);
    const report = await on.awaitCrawl(name);
    if (!report) throw new Error('no report');
    return report;
  }
  /** Writes a file into the raw zone and queues its event, as the watcher does. */
  async function land(key: string, body: string): Promise<void> {
    await lake.write('raw', key, body);
    await crawler.queueObjectEvents([{ bucket: 'tributary-raw', key }]);
  }
  const hourKey = (hour: number, file: string) => `traffic/2024/01/01/${String(hour).padStart(2, '0')}/${file}.json`;
  async function tableOf(database: string) {
    const table = await catalog.getTable(database, 'traffic');
    const partitions = await catalog.getPartitions(database, 'traffic');
    return {
      columns: table?.StorageDescriptor.Columns,
      keys: table?.PartitionKeys,
      location: table?.StorageDescriptor.Location,
      partitions: partitions.map((p) => [p.Values, p.StorageDescriptor.Location, p.StorageDescriptor.Columns]),
    };
  }

  it('after N new files in K folders, a crawl lists only those K folders and the table is the one a full crawl makes', async () => {
    for (let hour = 0; hour < 6; hour++) for (const f of ['a', 'b']) await lake.write('raw', hourKey(hour, f), jsonl(rec()));
    await crawler.createCrawler(definition('ev', 'events', true));
    const first = await crawl(crawler, 'ev');
    expect(first.reads).toEqual({ mode: 'full', folders: 6, objects: 12, inferred: 12 });

    // N = 5 new files in K = 2 folders: two into an existing hour, three (one with a new column) into a new hour.
    await land(hourKey(3, 'c'), jsonl(rec()));
    await land(hourKey(3, 'd'), jsonl(rec()));
    for (const f of ['a', 'b']) await land(hourKey(7, f), jsonl(rec()));
    await land(hourKey(7, 'c'), jsonl(rec({ lane: 2 })));
    const second = await crawl(crawler, 'ev');
    // Hour 03 lists its 2 old files too (classified from the cache); only the 5 new files are opened.
    expect(second.reads).toEqual({ mode: 'events', folders: 2, objects: 7, inferred: 5 });
    expect(second.counters).toMatchObject({ partitionsCreated: 1, partitionsDeleted: 0 });
    expect((await CrawlerEventQueue.of(lake.home, QUEUE).receive()).events).toEqual([]);

    await crawler.createCrawler(definition('full', 'full', false));
    await crawl(crawler, 'full');
    const incremental = await tableOf('events');
    expect(incremental.columns?.map((c) => c.Name)).toEqual(['sensor_id', 'speed', 'ts', 'lane']);
    expect(incremental.partitions).toHaveLength(7);
    expect(incremental).toEqual(await tableOf('full'));

    const idle = await crawl(crawler, 'ev');
    expect(idle.reads).toEqual({ mode: 'events', folders: 0, objects: 0, inferred: 0 });
    expect(idle.counters).toEqual({ tablesCreated: 0, tablesUpdated: 0, tablesDeleted: 0, partitionsCreated: 0, partitionsUpdated: 0, partitionsDeleted: 0 });
  });

  it('a file moved out without an event still leaves the table as a full crawl would', async () => {
    await lake.write('raw', hourKey(0, 'a'), jsonl(rec()));
    await lake.write('raw', hourKey(1, 'a'), jsonl(rec()));
    await crawler.createCrawler(definition('ev', 'events', true));
    await crawl(crawler, 'ev');
    await fs.rm(path.join(lake.home, 'lake', 'raw', ...hourKey(1, 'a').split('/')));
    const report = await crawl(crawler, 'ev');
    expect(report.reads).toMatchObject({ mode: 'events', folders: 1, objects: 0 });
    expect((await tableOf('events')).partitions.map(([values]) => values)).toEqual([['2024', '01', '01', '00']]);
  });

  it('keeps the events of a crawl that did not write the catalog, and a restarted crawler lists everything', async () => {
    await lake.write('raw', hourKey(0, 'a'), jsonl(rec()));
    await crawler.createCrawler(definition('ev', 'events', true));
    await crawl(crawler, 'ev');
    await land(hourKey(1, 'a'), jsonl(rec()));
    catalog.broken = true;
    expect(await crawl(crawler, 'ev')).toMatchObject({ status: 'FAILED', errorMessage: 'catalog unavailable', reads: { mode: 'events', folders: 1 } });
    expect((await CrawlerEventQueue.of(lake.home, QUEUE).receive()).events).toEqual([{ bucket: 'tributary-raw', key: hourKey(1, 'a') }]);

    // A new process (as after kill -9) keeps nothing in memory: its first run lists the whole target and consumes the queue.
    catalog.broken = false;
    const restarted = new DuckDbCrawler({ home: lake.home, catalog, bus: new RecordingBus() });
    try {
      expect((await crawl(restarted, 'ev')).reads).toEqual({ mode: 'full', folders: 2, objects: 2, inferred: 2 });
      expect((await CrawlerEventQueue.of(lake.home, QUEUE).receive()).events).toEqual([]);
      expect((await tableOf('events')).partitions).toHaveLength(2);
    } finally {
      await restarted.close();
    }
  });

  it('refuses event mode without exactly one target with an SQS queue ARN', async () => {
    await expect(crawler.createCrawler({ ...definition('ev', 'events', true), Targets: { S3Targets: [{ Path: TARGET }] } })).rejects.toThrow(/exactly one S3 target, with an EventQueueArn/);
    await expect(crawler.createCrawler({ ...definition('ev', 'events', true), Targets: { S3Targets: [{ Path: TARGET, EventQueueArn: 'queue' }] } })).rejects.toThrow(/is not an SQS queue ARN/);
  });
});
