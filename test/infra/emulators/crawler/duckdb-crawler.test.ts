import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { GlueCrawlerStateChangeEventSchema } from '../../../../contracts/aws-events';
import type { CrawlerInput } from '../../../../handlers/ports/crawler';
import { JsonFileCatalog } from '../../../../infra/emulators/catalog/json-file-catalog';
import { DuckDbCrawler } from '../../../../infra/emulators/crawler/duckdb-crawler';
import { CRAWLER_CONFIGURATION, CRAWLER_SCHEMA_CHANGE_POLICY } from '../../../../handlers/stage-kit/crawler-configuration';
import { crawlerContract } from '../../../handlers/ports/crawler.contract';
import { jsonl, makeHome, RecordingBus, writeParquet } from './lake-fixture';

crawlerContract('DuckDbCrawler', async () => {
  const lake = await makeHome();
  await lake.write('raw', 'traffic/dt=2024-01-01/a.json', jsonl({ id: 1 }, { id: 2 }));
  const catalog = new JsonFileCatalog(lake.home);
  await catalog.createDatabase({ Name: 'raw' });
  const crawler = new DuckDbCrawler({ home: lake.home, catalog, bus: new RecordingBus() });
  return {
    crawler,
    database: 'raw',
    target: 's3://tributary-raw/traffic/',
    waitForRun: async (name) => void (await crawler.awaitCrawl(name)),
    dispose: async () => {
      await crawler.close();
      await lake.dispose();
    },
  };
});

describe('DuckDbCrawler on files of our own making', () => {
  let lake: Awaited<ReturnType<typeof makeHome>>;
  let catalog: JsonFileCatalog;
  let bus: RecordingBus;
  let crawler: DuckDbCrawler;

  beforeEach(async () => {
    lake = await makeHome();
    catalog = new JsonFileCatalog(lake.home);
    await catalog.createDatabase({ Name: 'raw' });
    bus = new RecordingBus();
    crawler = new DuckDbCrawler({ home: lake.home, catalog, bus });
  });
  afterEach(async () => {
    await crawler.close();
    await lake.dispose();
  });

  async function crawl(path: string, extra: Partial<CrawlerInput> = {}, name = 'c') {
    if (!(await crawler.getCrawler(name))) await crawler.createCrawler({ Name: name, DatabaseName: 'raw', Targets: { S3Targets: [{ Path: path }] }, ...extra });
    await crawler.startCrawler(name);
    const report = await crawler.awaitCrawl(name);
    if (!report) throw new Error('no report');
    return report;
  }
  const columnsOf = async (table: string) => (await catalog.getTable('raw', table))?.StorageDescriptor.Columns.map((c) => `${c.Name}:${c.Type}`);

  it('JSON lines with hive partitions: Glue types, string partition keys, one partition per folder', async () => {
    const rec = (hour: number) => ({ sensor_id: 'S1', speed: 52.5, count: 7, ok: true, ts: '2024-01-01T00:00:00Z', day: '2024-01-01', tags: ['a'], loc: { lat: 1.5, lon: 2.25 }, hour_of: hour });
    await lake.write('raw', 'traffic/dt=2024-01-01/hour=00/a.json', jsonl(rec(0), rec(0)));
    await lake.write('raw', 'traffic/dt=2024-01-01/hour=01/b.json', jsonl(rec(1)));
    const report = await crawl('s3://tributary-raw/traffic/');
    expect(report).toMatchObject({ status: 'SUCCEEDED', tables: ['traffic'], unreadableObjects: [] });
    const table = await catalog.getTable('raw', 'traffic');
    expect(table?.PartitionKeys).toEqual([{ Name: 'dt', Type: 'string' }, { Name: 'hour', Type: 'string' }]);
    expect(await columnsOf('traffic')).toEqual([
      'sensor_id:string', 'speed:double', 'count:bigint', 'ok:boolean', 'ts:string', 'day:string', 'tags:array<string>', 'loc:struct<lat:double,lon:double>', 'hour_of:bigint',
    ]);
    expect(table?.StorageDescriptor).toMatchObject({
      Location: 's3://tributary-raw/traffic/',
      InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
      OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
      SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
    });
    expect(table?.Parameters).toMatchObject({ classification: 'json', compressionType: 'none', typeOfData: 'file', recordCount: '3', objectCount: '2', UPDATED_BY_CRAWLER: 'c' });
    const parts = await catalog.getPartitions('raw', 'traffic');
    expect(parts.map((p) => [p.Values, p.StorageDescriptor.Location])).toEqual([
      [['2024-01-01', '00'], 's3://tributary-raw/traffic/dt=2024-01-01/hour=00/'],
      [['2024-01-01', '01'], 's3://tributary-raw/traffic/dt=2024-01-01/hour=01/'],
    ]);
    expect(report.counters).toEqual({ tablesCreated: 1, tablesUpdated: 0, tablesDeleted: 0, partitionsCreated: 2, partitionsUpdated: 0, partitionsDeleted: 0 });
  });

  it('a column added in a later file is appended to the table; each partition keeps its own columns', async () => {
    await lake.write('raw', 'traffic/dt=1/a.json', jsonl({ id: 1, speed: 2.5 }));
    await lake.write('raw', 'traffic/dt=2/b.json', jsonl({ id: 2, speed: 3.5, lane: 'L1' }));
    await crawl('s3://tributary-raw/traffic/');
    expect(await columnsOf('traffic')).toEqual(['id:bigint', 'speed:double', 'lane:string']);
    const parts = await catalog.getPartitions('raw', 'traffic');
    expect(parts.map((p) => p.StorageDescriptor.Columns.map((c) => c.Name))).toEqual([['id', 'speed'], ['id', 'speed', 'lane']]);
  });

  it('CSV in unnamed folders gets partition_0, partition_1 with the folder names as values', async () => {
    await lake.write('raw', 'sales/2024/01/a.csv', 'id,amount,day\n1,2.5,2024-01-03\n2,3,2024-01-04\n');
    await lake.write('raw', 'sales/2024/02/b.csv', 'id,amount,day\n3,4.5,2024-02-01\n');
    await crawl('s3://tributary-raw/sales');
    const table = await catalog.getTable('raw', 'sales');
    expect(table?.PartitionKeys).toEqual([{ Name: 'partition_0', Type: 'string' }, { Name: 'partition_1', Type: 'string' }]);
    expect(await columnsOf('sales')).toEqual(['id:bigint', 'amount:double', 'day:string']);
    expect(table?.Parameters).toMatchObject({ classification: 'csv', delimiter: ',', 'skip.header.line.count': '1', areColumnsQuoted: 'false', columnsOrdered: 'true' });
    expect(table?.StorageDescriptor.SerdeInfo).toEqual({ SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', Parameters: { 'field.delim': ',' } });
    expect((await catalog.getPartitions('raw', 'sales')).map((p) => p.Values)).toEqual([['2024', '01'], ['2024', '02']]);
  });

  it('a header-less CSV gets col0, col1 … with Glue types and no skip.header.line.count', async () => {
    await lake.write('raw', 'readings/r.csv', '1|alice|2.5|true\n2|bob|3|false\n');
    await crawl('s3://tributary-raw/readings/');
    expect(await columnsOf('readings')).toEqual(['col0:bigint', 'col1:string', 'col2:double', 'col3:boolean']);
    const params = (await catalog.getTable('raw', 'readings'))?.Parameters;
    expect(params?.delimiter).toBe('|');
    expect(params?.['skip.header.line.count']).toBeUndefined();
  });

  it('an all-string CSV has NO header for Glue: its first row is data, columns col0, col1', async () => {
    await lake.write('raw', 'people/p.csv', 'name,city,joined\nalice,london,2024-01-01\nbob,paris,2024-02-01\n');
    await crawl('s3://tributary-raw/people/');
    expect(await columnsOf('people')).toEqual(['col0:string', 'col1:string', 'col2:string']);
    expect((await catalog.getTable('raw', 'people'))?.Parameters['skip.header.line.count']).toBeUndefined();
    expect((await catalog.getTable('raw', 'people'))?.Parameters.recordCount).toBe('3');
  });

  it('Parquet: logical types 1:1 from the footer, DuckDB-written hive partitions stay string', async () => {
    const dir = path.join(lake.home, 'lake', 'refined', 'metrics');
    await writeParquet(
      dir,
      "SELECT 1::INTEGER i, 2::BIGINT b, 1.5::FLOAT f, 2.5::DOUBLE d, 'x' s, DATE '2024-01-01' dt, TIMESTAMP '2024-01-01 10:00:00' ts, 1.23::DECIMAL(10,2) dc, [1,2] arr, {'a': 1, 'b': 'x'} st, MAP {'k': 1} m, true bo, y FROM (VALUES (2023), (2024)) v(y)",
      'FORMAT parquet, PARTITION_BY (y), COMPRESSION snappy',
    );
    await crawl('s3://tributary-refined/metrics/');
    const table = await catalog.getTable('raw', 'metrics');
    expect(await columnsOf('metrics')).toEqual([
      'i:int', 'b:bigint', 'f:float', 'd:double', 's:string', 'dt:date', 'ts:timestamp', 'dc:decimal(10,2)', 'arr:array<int>', 'st:struct<a:int,b:string>', 'm:map<string,int>', 'bo:boolean',
    ]);
    expect(table?.PartitionKeys).toEqual([{ Name: 'y', Type: 'string' }]);
    expect(table?.Parameters).toMatchObject({ classification: 'parquet', compressionType: 'none', recordCount: '2' });
    expect(table?.StorageDescriptor.SerdeInfo?.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    expect((await catalog.getPartitions('raw', 'metrics')).map((p) => p.Values)).toEqual([['2023'], ['2024']]);
  });

  it('a changed type is reported and applied under UPDATE_IN_DATABASE, keeping the old table version', async () => {
    await lake.write('raw', 'traffic/dt=1/a.json', jsonl({ id: 1, speed: 5 }));
    await crawl('s3://tributary-raw/traffic/');
    await lake.write('raw', 'traffic/dt=2/b.json', jsonl({ id: 2, speed: 'fast' }));
    const report = await crawl('s3://tributary-raw/traffic/');
    expect(report.schemaChanges).toEqual([{ table: 'traffic', kind: 'TypeChanged', column: 'speed', from: 'bigint', to: 'string', applied: true }]);
    expect(await columnsOf('traffic')).toEqual(['id:bigint', 'speed:string']);
    expect(report.counters).toMatchObject({ tablesUpdated: 1, partitionsCreated: 1 });
    expect((await catalog.getTableVersions('raw', 'traffic')).map((v) => v.Table.StorageDescriptor.Columns[1]?.Type)).toEqual(['string', 'bigint']);
    const succeeded = GlueCrawlerStateChangeEventSchema.parse(bus.events[bus.events.length - 1]);
    expect(succeeded.detail).toMatchObject({ state: 'Succeeded', tablesUpdated: '1' });
    expect(succeeded.detail.state === 'Succeeded' && succeeded.detail.warningMessage).toMatch(/column speed type changed from bigint to string \(updated\)/);
  });

  it('under LOG the table keeps its type and the change is only reported; new partitions still arrive', async () => {
    await lake.write('raw', 'traffic/dt=1/a.json', jsonl({ id: 1, speed: 5 }));
    await crawl('s3://tributary-raw/traffic/', { SchemaChangePolicy: { UpdateBehavior: 'LOG' } });
    await lake.write('raw', 'traffic/dt=2/b.json', jsonl({ id: 2, speed: 'fast', lane: 'x' }));
    const report = await crawl('s3://tributary-raw/traffic/');
    expect(report.schemaChanges).toEqual([
      { table: 'traffic', kind: 'TypeChanged', column: 'speed', from: 'bigint', to: 'string', applied: false },
      { table: 'traffic', kind: 'ColumnAdded', column: 'lane', to: 'string', applied: false },
    ]);
    expect(await columnsOf('traffic')).toEqual(['id:bigint', 'speed:bigint']);
    expect(report.counters).toMatchObject({ tablesUpdated: 0, partitionsCreated: 1 });
  });

  it('MergeNewColumns adds new columns but keeps a changed type', async () => {
    await lake.write('raw', 'traffic/dt=1/a.json', jsonl({ id: 1, speed: 5 }));
    const Configuration = JSON.stringify({ Version: 1.0, CrawlerOutput: { Tables: { AddOrUpdateBehavior: 'MergeNewColumns' } } });
    await crawl('s3://tributary-raw/traffic/', { Configuration });
    await lake.write('raw', 'traffic/dt=2/b.json', jsonl({ id: 2, speed: 'fast', lane: 'x' }));
    const report = await crawl('s3://tributary-raw/traffic/');
    expect(await columnsOf('traffic')).toEqual(['id:bigint', 'speed:bigint', 'lane:string']);
    expect(report.schemaChanges.map((c) => `${c.kind}:${c.column ?? ''}:${c.applied}`)).toEqual(['TypeChanged:speed:false', 'ColumnAdded:lane:true']);
  });

  it('with the pipeline policy an added column is applied to the table and its partitions and announced; a renamed or retyped one keeps the declared column', async () => {
    const policy = { Configuration: CRAWLER_CONFIGURATION, SchemaChangePolicy: CRAWLER_SCHEMA_CHANGE_POLICY };
    await lake.write('raw', 'weather/2026/01/05/10/a.jsonl', jsonl({ id: 1, temp: 5 }));
    await crawl('s3://tributary-raw/weather/', policy);
    await lake.write('raw', 'weather/2026/01/05/11/b.jsonl', jsonl({ id: 2, temp: 6, gust: 12.5 }));
    const added = await crawl('s3://tributary-raw/weather/', policy);
    expect(added.schemaChanges).toEqual([{ table: 'weather', kind: 'ColumnAdded', column: 'gust', to: 'double', applied: true }]);
    expect(await columnsOf('weather')).toEqual(['id:bigint', 'temp:bigint', 'gust:double']);
    expect((await catalog.getPartitions('raw', 'weather')).map((p) => p.StorageDescriptor.Columns.map((c) => c.Name).join(','))).toEqual(['id,temp,gust', 'id,temp,gust']);
    expect((await catalog.getTableVersion('raw', 'weather', '0'))?.StorageDescriptor.Columns.map((c) => c.Name)).toEqual(['id', 'temp']);
    const event = GlueCrawlerStateChangeEventSchema.parse(bus.events[bus.events.length - 1]);
    expect(event.detail.state === 'Succeeded' && event.detail.warningMessage).toBe('table weather: column gust double added (applied)');
    await lake.write('raw', 'weather/2026/01/05/12/c.jsonl', jsonl({ id: 3, temperature: 7, gust: 'calm' }));
    const drifted = await crawl('s3://tributary-raw/weather/', policy);
    expect(drifted.schemaChanges).toEqual([
      { table: 'weather', kind: 'TypeChanged', column: 'gust', from: 'double', to: 'string', applied: false },
      { table: 'weather', kind: 'ColumnAdded', column: 'temperature', to: 'bigint', applied: true },
    ]);
    expect(await columnsOf('weather')).toEqual(['id:bigint', 'temp:bigint', 'gust:double', 'temperature:bigint']);
  });

  it('a malformed file is skipped, named in warningMessage and the report, and does not block the good ones', async () => {
    await lake.write('raw', 'traffic/dt=1/a.json', jsonl({ id: 1 }));
    await lake.write('raw', 'traffic/dt=2/bad.json', '{"id": 2}\n{"id": \n');
    const report = await crawl('s3://tributary-raw/traffic/');
    expect(report.status).toBe('SUCCEEDED');
    expect(report.unreadableObjects).toEqual([{ uri: 's3://tributary-raw/traffic/dt=2/bad.json', reason: expect.stringMatching(/JSON/) }]);
    expect((await catalog.getPartitions('raw', 'traffic')).map((p) => p.Values)).toEqual([['1']]);
    const last = GlueCrawlerStateChangeEventSchema.parse(bus.events[bus.events.length - 1]);
    expect(last.detail.state === 'Succeeded' && last.detail.warningMessage).toMatch(/1 object\(s\) could not be classified.*dt=2\/bad\.json/);
    expect((await crawler.getLastCrawlReport('c'))?.unreadableObjects).toHaveLength(1);
  });

  it('emits Started then Succeeded with Glue-shaped string counters on the default bus', async () => {
    await lake.write('raw', 'traffic/dt=1/a.json', jsonl({ id: 1 }));
    await crawl('s3://tributary-raw/traffic/', {}, 'raw-crawler');
    await crawl('s3://tributary-raw/traffic/', {}, 'raw-crawler');
    const events = bus.events.map((e) => GlueCrawlerStateChangeEventSchema.parse(e));
    expect(events.map((e) => e.detail.state)).toEqual(['Started', 'Succeeded', 'Started', 'Succeeded']);
    expect(bus.buses).toEqual(['default', 'default', 'default', 'default']);
    expect(events[0]).toMatchObject({ source: 'aws.glue', 'detail-type': 'Glue Crawler State Change', account: '000000000000', region: 'us-east-1', resources: [] });
    expect(events[0]?.detail).toEqual({ accountId: '000000000000', crawlerName: 'raw-crawler', startTime: expect.any(String), state: 'Started', message: 'Crawler Started' });
    expect(events[1]?.detail).toEqual({
      tablesCreated: '1', tablesUpdated: '0', tablesDeleted: '0', partitionsCreated: '1', partitionsUpdated: '0', partitionsDeleted: '0',
      'runningTime (sec)': expect.stringMatching(/^\d+$/), completionDate: expect.any(String), warningMessage: 'N/A', message: 'Crawler Succeeded',
      state: 'Succeeded', crawlerName: 'raw-crawler', accountId: '000000000000',
      cloudWatchLogLink: 'https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#logEventViewer:group=/aws-glue/crawlers;stream=raw-crawler',
    });
    expect(events[3]?.detail).toMatchObject({ tablesCreated: '0', tablesUpdated: '0', partitionsCreated: '0' });
  });

  it('fails loudly (Failed event, LastCrawl FAILED) when the database does not exist', async () => {
    await lake.write('raw', 'traffic/a.json', jsonl({ id: 1 }));
    await crawler.createCrawler({ Name: 'c', DatabaseName: 'nodb', Targets: { S3Targets: [{ Path: 's3://tributary-raw/traffic/' }] } });
    await crawler.startCrawler('c');
    const report = await crawler.awaitCrawl('c');
    expect(report).toMatchObject({ status: 'FAILED', errorMessage: 'Database nodb not found.' });
    expect(await crawler.getCrawler('c')).toMatchObject({ State: 'READY', LastCrawl: { Status: 'FAILED', ErrorMessage: 'Database nodb not found.' } });
    const failed = GlueCrawlerStateChangeEventSchema.parse(bus.events[1]);
    expect(failed.detail).toEqual({ crawlerName: 'c', errorMessage: 'Database nodb not found.', accountId: '000000000000', cloudWatchLogLink: expect.any(String), state: 'Failed', message: 'Crawler Failed' });
  });

  it('catalog and crawler survive a re-open; a crawl left RUNNING by a dead process is run again and announced', async () => {
    await lake.write('raw', 'traffic/dt=1/a.json', jsonl({ id: 1 }));
    await crawl('s3://tributary-raw/traffic/');
    await crawler.close();
    const reopened = new DuckDbCrawler({ home: lake.home, catalog: new JsonFileCatalog(lake.home), bus });
    expect(await reopened.getCrawler('c')).toMatchObject({ State: 'READY', LastCrawl: { Status: 'SUCCEEDED' } });
    expect((await new JsonFileCatalog(lake.home).getPartitions('raw', 'traffic')).map((p) => p.Values)).toEqual([['1']]);
    // The dead process had started a crawl for a file that landed meanwhile.
    await lake.write('raw', 'traffic/dt=2/b.json', jsonl({ id: 2 }));
    const file = path.join(lake.home, 'crawlers', 'c.json');
    await fs.writeFile(file, JSON.stringify({ ...JSON.parse(await fs.readFile(file, 'utf8')), State: 'RUNNING' }));
    const seen = bus.events.length;
    const afterCrash = new DuckDbCrawler({ home: lake.home, catalog, bus });
    // Reading it changes nothing: only the home's owner decides a RUNNING crawl is a dead one.
    expect(await afterCrash.getCrawler('c')).toMatchObject({ State: 'RUNNING' });
    expect(bus.events.length).toBe(seen);
    expect(await afterCrash.resumeInterrupted()).toEqual(['c']);
    expect(await afterCrash.getCrawler('c')).toMatchObject({ State: 'RUNNING' });
    expect((await afterCrash.awaitCrawl('c'))?.status).toBe('SUCCEEDED');
    expect(await afterCrash.getCrawler('c')).toMatchObject({ State: 'READY', LastCrawl: { Status: 'SUCCEEDED' } });
    expect(bus.events.slice(seen).map((e) => GlueCrawlerStateChangeEventSchema.parse(e).detail.state)).toEqual(['Started', 'Succeeded']);
    expect((await catalog.getPartitions('raw', 'traffic')).map((p) => p.Values).sort()).toEqual([['1'], ['2']]);
    expect(await afterCrash.resumeInterrupted()).toEqual([]);
    await afterCrash.close();
    await reopened.close();
  });

  it('dissimilar sibling folders become separate tables named after their folders (Glue doc example)', async () => {
    await lake.write('raw', 'table1/year=2017/data1.json', jsonl({ a: 1, b: 2 }));
    await lake.write('raw', 'table1/year=2018/data2.json', jsonl({ c: 'x', d: 'y' }));
    await crawl('s3://tributary-raw/table1/');
    expect((await catalog.getTables('raw')).map((t) => t.Name)).toEqual(['year_2017', 'year_2018']);
  });

  it('CombineCompatibleSchemas makes the same folders one table with the union of columns', async () => {
    await lake.write('raw', 'table1/year=2017/data1.json', jsonl({ a: 1, b: 2 }));
    await lake.write('raw', 'table1/year=2018/data2.json', jsonl({ c: 'x', d: 'y' }));
    const Configuration = JSON.stringify({ Version: 1.0, Grouping: { TableGroupingPolicy: 'CombineCompatibleSchemas' } });
    await crawl('s3://tributary-raw/table1/', { Configuration, TablePrefix: 'raw_' });
    expect(await columnsOf('raw_table1')).toEqual(['a:bigint', 'b:bigint', 'c:string', 'd:string']);
    expect((await catalog.getTable('raw', 'raw_table1'))?.PartitionKeys).toEqual([{ Name: 'year', Type: 'string' }]);
  });

  it('a crawl of the zone root gives one table per dataset folder with different schemas', async () => {
    await lake.write('raw', 'traffic/dt=1/a.json', jsonl({ sensor: 's', speed: 1.5 }));
    await lake.write('raw', 'weather/dt=1/w.csv', 'station,temp\nA,1.5\nB,2\n');
    await crawl('s3://tributary-raw/');
    expect((await catalog.getTables('raw')).map((t) => `${t.Name}:${t.Parameters.classification}:${t.StorageDescriptor.Location}`)).toEqual([
      'traffic:json:s3://tributary-raw/traffic/',
      'weather:csv:s3://tributary-raw/weather/',
    ]);
  });

  it('deletes partitions whose folder vanished and, under DELETE_FROM_DATABASE, tables whose data is gone', async () => {
    await lake.write('raw', 'zone/traffic/dt=1/a.json', jsonl({ id: 1 }));
    await lake.write('raw', 'zone/traffic/dt=2/b.json', jsonl({ id: 2 }));
    await lake.write('raw', 'zone/weather/w.csv', 'station,temp\nA,1.5\nB,2\n');
    await lake.write('raw', 'zone/other/o.json', jsonl({ name: 'x', value: 'y' }));
    const policy = { SchemaChangePolicy: { DeleteBehavior: 'DELETE_FROM_DATABASE' as const } };
    await crawl('s3://tributary-raw/zone/', policy);
    await fs.rm(path.join(lake.home, 'lake', 'raw', 'zone', 'traffic', 'dt=2'), { recursive: true });
    await fs.rm(path.join(lake.home, 'lake', 'raw', 'zone', 'weather'), { recursive: true });
    const report = await crawl('s3://tributary-raw/zone/');
    expect(report.counters).toMatchObject({ partitionsDeleted: 1, tablesDeleted: 1 });
    expect((await catalog.getTables('raw')).map((t) => t.Name)).toEqual(['other', 'traffic']);
  });

  it('is READY before the Succeeded event is delivered, so a consumer can start the follow-up crawl', async () => {
    await lake.write('raw', 'traffic/dt=1/a.json', jsonl({ id: 1 }));
    const starts: Promise<unknown>[] = [];
    const reactive = new DuckDbCrawler({
      home: lake.home,
      catalog,
      bus: {
        putEvents: async (entries) => {
          if (entries.some((e) => e.Detail?.includes('"Succeeded"')) && starts.length === 0) starts.push(reactive.startCrawler('c').then(() => 'started', (e: unknown) => e));
          return { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: 'x' })) };
        },
      },
    });
    await reactive.createCrawler({ Name: 'c', DatabaseName: 'raw', Targets: { S3Targets: [{ Path: 's3://tributary-raw/traffic/' }] } });
    await reactive.startCrawler('c');
    await reactive.awaitCrawl('c');
    expect(await Promise.all(starts)).toEqual(['started']);
    await reactive.close();
  });

  it('fails the crawl and writes nothing when it would exceed TableThreshold', async () => {
    await lake.write('raw', 'zone/a/x.json', jsonl({ a: 1 }));
    await lake.write('raw', 'zone/b/y.csv', 'p,q\n1,2\n3,4\n');
    const Configuration = JSON.stringify({ Version: 1.0, CrawlerOutput: { Tables: { TableThreshold: 1 } } });
    const report = await crawl('s3://tributary-raw/zone/', { Configuration });
    expect(report).toMatchObject({ status: 'FAILED', errorMessage: expect.stringMatching(/2 tables, more than TableThreshold 1/) });
    expect(await catalog.getTables('raw')).toEqual([]);
  });

  it('rejects a target outside the lake or a bad Configuration at CreateCrawler', async () => {
    const base = { Name: 'bad', DatabaseName: 'raw' };
    await expect(crawler.createCrawler({ ...base, Targets: { S3Targets: [{ Path: 's3://someone-else/data/' }] } })).rejects.toMatchObject({ name: 'InvalidInputException' });
    await expect(crawler.createCrawler({ ...base, Targets: { S3Targets: [{ Path: 's3://tributary-raw/../etc/' }] } })).rejects.toMatchObject({ name: 'InvalidInputException' });
    await expect(crawler.createCrawler({ ...base, Targets: { S3Targets: [{ Path: 's3://tributary-raw/x/' }] }, Configuration: '{"Version":' })).rejects.toThrow(/not JSON/);
    expect(await crawler.getCrawler('bad')).toBeUndefined();
  });

  it('updates a partition whose own schema changed and skips hidden and excluded files', async () => {
    await lake.write('raw', 'traffic/dt=1/a.json', jsonl({ id: 1 }));
    await lake.write('raw', 'traffic/dt=1/_SUCCESS', 'x');
    await lake.write('raw', 'traffic/dt=1/.a.json.tmp', 'garbage');
    await lake.write('raw', 'traffic/dt=1/notes.txt', 'garbage');
    await crawl('s3://tributary-raw/traffic/', { Targets: { S3Targets: [{ Path: 's3://tributary-raw/traffic/', Exclusions: ['**.txt'] }] } });
    await lake.write('raw', 'traffic/dt=1/b.json', jsonl({ id: 2, extra: true }));
    const report = await crawl('s3://tributary-raw/traffic/');
    expect(report.unreadableObjects).toEqual([]);
    expect(report.counters).toMatchObject({ partitionsCreated: 0, partitionsUpdated: 1, tablesUpdated: 1 });
    expect((await catalog.getPartitions('raw', 'traffic'))[0]?.StorageDescriptor.Columns.map((c) => c.Name)).toEqual(['id', 'extra']);
  });

  it('InheritFromTable gives every partition the table columns; the default DeleteBehavior deprecates a vanished table', async () => {
    await lake.write('raw', 'zone/traffic/dt=1/a.json', jsonl({ id: 1 }));
    await lake.write('raw', 'zone/traffic/dt=2/b.json', jsonl({ id: 2, lane: 'x' }));
    await lake.write('raw', 'zone/weather/w.csv', 'station,temp\nA,1.5\nB,2\n');
    await lake.write('raw', 'zone/other/o.json', jsonl({ name: 'x', value: 'y' }));
    const Configuration = JSON.stringify({ Version: 1.0, CrawlerOutput: { Partitions: { AddOrUpdateBehavior: 'InheritFromTable' } } });
    await crawl('s3://tributary-raw/zone/', { Configuration });
    expect((await catalog.getPartitions('raw', 'traffic')).map((p) => p.StorageDescriptor.Columns.length)).toEqual([2, 2]);
    await fs.rm(path.join(lake.home, 'lake', 'raw', 'zone', 'weather'), { recursive: true });
    const report = await crawl('s3://tributary-raw/zone/');
    expect(report.counters.tablesDeleted).toBe(0);
    expect((await catalog.getTable('raw', 'weather'))?.Parameters.DEPRECATED_BY_CRAWLER).toEqual(expect.any(String));
    expect((await catalog.getTable('raw', 'traffic'))?.Parameters.DEPRECATED_BY_CRAWLER).toBeUndefined();
    expect(report.counters).toMatchObject({ tablesCreated: 0, tablesUpdated: 1 });
  });

  it('with the pipeline configuration, any key layout under a dataset folder is one table; under LOG a root file that joins hour folders keeps the keys and is reported', async () => {
    const config = { Configuration: CRAWLER_CONFIGURATION, SchemaChangePolicy: { UpdateBehavior: 'LOG' as const, DeleteBehavior: 'DELETE_FROM_DATABASE' as const } };
    await lake.write('raw', 'traffic/2026/01/05/13/a.jsonl', jsonl({ id: 1, v: 'x' }));
    await lake.write('raw', 'traffic/2026/01/05/14/b.jsonl', jsonl({ id: 2, v: 'y' }));
    expect(await crawl('s3://tributary-raw/traffic/', config)).toMatchObject({ status: 'SUCCEEDED', tables: ['traffic'] });
    expect((await catalog.getTable('raw', 'traffic'))?.PartitionKeys.map((k) => k.Name)).toEqual(['partition_0', 'partition_1', 'partition_2', 'partition_3']);
    await lake.write('raw', 'traffic/one-file.jsonl', jsonl({ id: 3, v: 'z' }));
    await lake.write('raw', 'traffic/2026/01/05/15/c.jsonl', jsonl({ id: 4, v: 'w' }));
    const report = await crawl('s3://tributary-raw/traffic/', config);
    expect(report).toMatchObject({ status: 'SUCCEEDED', tables: ['traffic'] });
    expect(report.warnings).toEqual([expect.stringContaining('s3://tributary-raw/traffic/one-file.jsonl lies in no partition of table traffic')]);
    expect((await catalog.getTables('raw')).map((t) => t.Name)).toEqual(['traffic']);
    expect((await catalog.getPartitions('raw', 'traffic')).map((p) => p.Values.join('/')).sort()).toEqual(['2026/01/05/13', '2026/01/05/14', '2026/01/05/15']);
  });

  it('with the pipeline policy, root files joining hour folders make the table unpartitioned, so it reads the same rows whatever the order of arrival', async () => {
    const policy = { Configuration: CRAWLER_CONFIGURATION, SchemaChangePolicy: CRAWLER_SCHEMA_CHANGE_POLICY };
    await lake.write('raw', 'traffic/2026/01/05/13/a.jsonl', jsonl({ id: 1 }));
    await crawl('s3://tributary-raw/traffic/', policy);
    expect((await catalog.getTable('raw', 'traffic'))?.PartitionKeys).toHaveLength(4);
    await lake.write('raw', 'traffic/one-file.jsonl', jsonl({ id: 2, extra: 'e' }));
    const report = await crawl('s3://tributary-raw/traffic/', policy);
    expect(report).toMatchObject({ status: 'SUCCEEDED', tables: ['traffic'], warnings: [] });
    expect(report.schemaChanges).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'PartitionKeysChanged', applied: true })]));
    const table = await catalog.getTable('raw', 'traffic');
    expect(table?.PartitionKeys).toEqual([]);
    expect(await catalog.getPartitions('raw', 'traffic')).toEqual([]);
    expect(await columnsOf('traffic')).toEqual(['id:bigint', 'extra:string']);
  });

  it('with the pipeline configuration, a dataset whose first files mix root files and folders is one unpartitioned table', async () => {
    await lake.write('raw', 'weather/one.jsonl', jsonl({ id: 1 }));
    await lake.write('raw', 'weather/2026/01/05/13/a.jsonl', jsonl({ id: 2, extra: 'e' }));
    await lake.write('raw', 'weather/k=v/b.jsonl', jsonl({ id: 3 }));
    expect(await crawl('s3://tributary-raw/weather/', { Configuration: CRAWLER_CONFIGURATION })).toMatchObject({ status: 'SUCCEEDED', tables: ['weather'], warnings: [] });
    const table = await catalog.getTable('raw', 'weather');
    expect(table?.PartitionKeys).toEqual([]);
    expect(table?.StorageDescriptor.Location).toBe('s3://tributary-raw/weather/');
    expect(await columnsOf('weather')).toEqual(['id:bigint', 'extra:string']);
  });
});
