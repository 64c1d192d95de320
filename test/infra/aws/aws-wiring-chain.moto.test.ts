import '../../integration/quiet-logs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GlueClient } from '@aws-sdk/client-glue';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AwsDetailType } from '../../../contracts/aws-events';
import { DomainDetailType } from '../../../contracts/domain-events';
import { StageId } from '../../../events/stage-ids';
import { forecastModelName } from '../../../handlers/forecast-model/model-name';
import { runQuery, type QueryEnginePort } from '../../../handlers/ports/query-engine';
import { readQueryRows } from '../../../handlers/stage-kit/read-query-rows';
import { databaseOf } from '../../../handlers/stage-kit/naming';
import { AthenaQueryEngine } from '../../../infra/aws/adapters/athena-query-engine';
import { awsStageDeps, awsTopology, type AwsClients } from '../../../infra/aws/lambda/aws-stage-deps';
import { RuntimeEnvName, type RuntimeEnv } from '../../../infra/aws/lambda/runtime-env';
import { FolderDatasetStore } from '../../../infra/datasets/folder-dataset-store';
import { LocalEventBus } from '../../../infra/emulators/bus/local-event-bus';
import { EventBridgeEndpoint } from '../../../infra/emulators/bus/eventbridge-endpoint';
import { DuckDbCrawler } from '../../../infra/emulators/crawler/duckdb-crawler';
import { AthenaJsonService } from '../../../infra/emulators/query/athena-json-service';
import { DuckDbQueryEngine } from '../../../infra/emulators/query/duckdb-query-engine';
import { loadForecastModels } from '../../../infra/local/runtime/model-registry';
import { generateTrafficSample } from '../../../infra/shipped/traffic-sample';
import { allRuns, dropFiles, dumpTable as dumpEmbeddedTable, openRuntime, settle, tempDirs } from '../../integration/pipeline-harness';
import { reading } from '../../integration/traffic-copy';
import { walkFiles } from '../../../infra/emulators/object-store/walk-files';
import { zoneDir } from '../../../infra/local/lake-paths';
import type { RunSummary } from '../../../handlers/ports/run-store';
import { CapturedEvents, ChainDriver } from './chain/chain-driver';
import { LakeMirror } from './chain/lake-mirror';
import { MirroredQueryEngine } from './chain/mirrored-query-engine';
import { createMotoLake } from './chain/moto-lake';
import { CrawlerGlueCatalog, ServiceStandIns } from './chain/service-stand-ins';
import { MOTO_ACCOUNT, MOTO_REGION, describeOnMoto } from './moto/moto-server';

jest.setTimeout(120_000);

/**
 * The stack's `-c prefix`: not the default, so every name derived from it (bus, databases, crawlers,
 * workgroups, tables, transform jobs) must flow from the function environment, none hard-coded.
 */
const prefix = 'acme';
/** The deployed SageMaker model of the traffic forecast, named as CloudFormation generates names. */
const DEPLOYED_MODEL = 'ModelTrafficForecast-Gk3ZP1xQ7c2d';
/**
 * The functions' environment. The buckets are `tributary-<zone>`, valid S3 names the stack could be
 * given, because they are the only names the local DuckDB engine behind the Athena endpoint resolves.
 */
const env: RuntimeEnv = {
  [RuntimeEnvName.Stage]: StageId.RegisterLanding,
  [RuntimeEnvName.Prefix]: prefix,
  [RuntimeEnvName.ModelNames]: { [forecastModelName('traffic')]: DEPLOYED_MODEL },
  [RuntimeEnvName.Bus]: prefix,
  [RuntimeEnvName.RawBucket]: 'tributary-raw',
  [RuntimeEnvName.RefinedBucket]: 'tributary-refined',
  [RuntimeEnvName.ForecastBucket]: 'tributary-forecast',
  [RuntimeEnvName.QuarantineBucket]: 'tributary-quarantine',
  [RuntimeEnvName.RefineWorkgroup]: prefix,
  [RuntimeEnvName.ReadWorkgroup]: `${prefix}-read`,
  [RuntimeEnvName.RunTable]: `${prefix}-runs`,
  [RuntimeEnvName.IdempotencyTable]: `${prefix}-idempotency`,
  [RuntimeEnvName.AlertTopicArn]: `arn:aws:sns:${MOTO_REGION}:${MOTO_ACCOUNT}:${prefix}-alerts`,
};
const origin = { account: MOTO_ACCOUNT, region: MOTO_REGION };

/** A whole table as sorted JSON lines of every column (the same form as the integration harness's dumpTable). */
async function dumpTable(engine: QueryEnginePort, table: string, workGroup: string): Promise<string[]> {
  const execution = await runQuery(engine, { QueryString: `SELECT * FROM ${table}`, WorkGroup: workGroup });
  if (execution.Status.State !== 'SUCCEEDED') throw new Error(`SELECT * FROM ${table}: ${execution.Status.State} ${execution.Status.StateChangeReason ?? ''}`);
  const rows = await readQueryRows(engine, execution.QueryExecutionId);
  return rows.map((row) => JSON.stringify(Object.keys(row).sort().map((k) => [k, row[k] ?? null]))).sort();
}

/**
 * The tables compared, by zone: the refined table, its rejects table and one of its published views,
 * and the forecast table.
 */
const COMPARED = [
  ['refined', 'traffic'],
  ['refined', 'traffic_rejects'],
  ['refined', 'traffic_hourly_speed_profile'],
  ['forecast', 'traffic'],
] as const;

/** A file whose second reading has a speed of the wrong type: register-landing quarantines it (schema). */
const BAD_FILE = {
  key: 'traffic/2026/01/05/00/wrong-type.jsonl',
  body: Buffer.from(`${reading('X3', '2026-01-05T00:01:00Z', 80)}\n${reading('X3', '2026-01-05T00:02:00Z', 80).replace('"currentSpeed":80', '"currentSpeed":"fast"')}\n`),
};

/** Each run by id: where it ended and its row counts. */
function runStates(runs: readonly RunSummary[]): Record<string, unknown> {
  return Object.fromEntries(runs.map((r) => [r.runId, { key: r.object.key, end: `${r.lastStage}:${r.lastStatus}`, rowCounts: r.rowCounts }]));
}

/** The keys in the quarantine bucket. */
async function quarantined(s3: S3Client, bucket: string): Promise<string[]> {
  return ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key ?? '').sort();
}

/** The embedded default on the same files: a fresh home, the files dropped at once, run until quiescent. */
async function embeddedRun(home: string, files: ReadonlyArray<{ key: string; body: Buffer }>): Promise<{ tables: string[][]; runs: RunSummary[]; quarantined: string[] }> {
  const rt = await openRuntime(home);
  try {
    await dropFiles(home, files);
    await settle(rt);
    const tables: string[][] = [];
    for (const [zone, table] of COMPARED) tables.push(await dumpEmbeddedTable(rt, `${databaseOf(rt.deps.topology, zone)}.${table}`));
    const quarantine: string[] = [];
    for await (const file of walkFiles(zoneDir(home, 'quarantine'))) quarantine.push(file.key);
    return { tables, runs: await allRuns(rt), quarantined: quarantine.sort() };
  } finally {
    await rt.close();
  }
}

/**
 * The whole chain on the AWS wiring: the stages built by the Lambda composition root
 * (`awsStageDeps`) with unmodified SDK clients, every resource in moto server, Athena on the local
 * DuckDB engine behind the Athena JSON endpoint (reading and writing the objects moto's S3 holds, its
 * catalog moto's Glue), fed the events EventBridge would deliver — through the project's rule table,
 * from each file's S3 `Object Created` to `ForecastReady` and the crawl after it. What moto accepts but
 * does not do is done by the project's own local implementations against the same objects and said so
 * (`ServiceStandIns`): moto's crawls catalogue nothing, so the local crawler crawls what moto shows
 * RUNNING into moto's Glue catalog; moto's transform jobs run no container, so the local batch-transform
 * code runs the job moto recorded with the model's inference code. Nothing is hard-coded: the rows,
 * runs and quarantine are compared with the embedded default's for the same files.
 */
describeOnMoto('The whole chain on the AWS wiring (moto server, Athena endpoint on the local engine)', (moto) => {
  const dir = tempDirs();

  it('takes landed files to ForecastReady with the rows of the embedded default, and a bad one to quarantine and a page', async () => {
    await moto().setTransition('glue::crawl', { progression: 'manual', times: 1 });
    const sampleDir = await dir('chain-sample');
    const sample = await generateTrafficSample({ outDir: sampleDir, sensors: 3, hours: 2, seed: 11, filesPerHour: 1 });
    const [first, second] = await Promise.all(sample.keys.slice(0, 2).map(async (key) => ({ key, body: await fs.readFile(path.join(sampleDir, ...key.split('/'))) })));
    if (first === undefined || second === undefined) throw new Error(`the sample has ${sample.keys.length} files, the test needs 2`);
    // Two waves: a good file and a bad one, then, once the chain is done, the next hour's file, whose
    // refine window overlaps the first's (refined and forecast partitions replaced on S3, catalogued again).
    const waves = [[first, BAD_FILE], [second]];
    const files = waves.flat();

    const config = moto().clientConfig;
    const sqs = new SQSClient(config);
    const glue = new GlueClient(config);
    const sagemaker = new SageMakerClient(config);
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    const home = await dir('chain-home');
    const mirror = new LakeMirror(s3, home);
    const catalog = new CrawlerGlueCatalog(glue);
    const athenaEvents = new CapturedEvents(origin);
    const engine = new MirroredQueryEngine(await DuckDbQueryEngine.create({ home, catalog, bus: athenaEvents, connections: 2 }), mirror);
    const endpointBus = await LocalEventBus.open({ home: path.join(home, 'endpoint') });
    const endpoint = await EventBridgeEndpoint.start(endpointBus, 0, { athena: new AthenaJsonService(engine, { workGroups: [env[RuntimeEnvName.RefineWorkgroup], env[RuntimeEnvName.ReadWorkgroup]] }) });
    const clients: AwsClients = {
      s3,
      glue,
      athena: new AthenaClient({ ...config, endpoint: endpoint.url }),
      sagemaker,
      sns: new SNSClient(config),
      eventBridge: new EventBridgeClient(config),
      dynamodb: new DynamoDBClient(config),
    };
    const crawlerEvents = new CapturedEvents(origin);
    const localCrawler = new DuckDbCrawler({ home, catalog, bus: crawlerEvents, origin });
    try {
      const datasets = new FolderDatasetStore();
      const manifests = (await Promise.all((await datasets.listDatasets()).map(async (name) => (await datasets.getDataset(name))?.manifest))).filter((m) => m !== undefined);
      const topology = awsTopology(env);
      const readers = await createMotoLake({ ...clients, sqs }, env, topology, manifests);
      const deps = awsStageDeps(env, clients);
      const standIns = new ServiceStandIns({
        home, origin, glue, sagemaker, mirror, localCrawler, crawlerEvents,
        motoCrawler: deps.crawler,
        motoTransform: deps.transform,
        models: await loadForecastModels(home, datasets),
        deployedModels: env[RuntimeEnvName.ModelNames],
      });
      const driver = new ChainDriver(topology.names, deps, {
        domainEvents: readers.domainEvents,
        serviceEvents: async () => {
          await engine.settle();
          return [...athenaEvents.take(), ...(await standIns.advance())];
        },
      });

      // The files land in the raw bucket; S3 sends `Object Created` for each to the default bus.
      for (const wave of waves) {
        for (const { key, body } of wave) {
          await s3.send(new PutObjectCommand({ Bucket: env[RuntimeEnvName.RawBucket], Key: key, Body: body }));
          const head = await s3.send(new HeadObjectCommand({ Bucket: env[RuntimeEnvName.RawBucket], Key: key }));
          driver.serviceEvent({
            version: '0', id: `landed-${key}`, 'detail-type': AwsDetailType.ObjectCreated, source: 'aws.s3', account: MOTO_ACCOUNT, time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), region: MOTO_REGION, resources: [`arn:aws:s3:::${env[RuntimeEnvName.RawBucket]}`],
            detail: { version: '0', bucket: { name: env[RuntimeEnvName.RawBucket] }, object: { key, size: head.ContentLength, etag: (head.ETag ?? '').replace(/"/g, ''), sequencer: '0' }, 'request-id': 'chain', requester: MOTO_ACCOUNT, reason: 'PutObject' },
          });
        }
        await driver.run();
      }

      expect(driver.deadLettered).toEqual([]);
      const failed = driver.seen.filter((e) => e['detail-type'] === DomainDetailType.StageFailed).map((e) => e.detail);
      expect(failed).toEqual([expect.objectContaining({ stage: StageId.RegisterLanding, errorClass: 'schema', object: expect.objectContaining({ key: BAD_FILE.key }) })]);
      // The page went out through SNS (read back from an SQS subscriber), naming the file.
      const pages = JSON.stringify(await readers.alerts());
      expect(pages).toContain(BAD_FILE.key);
      const published = driver.seen.map((e) => e['detail-type']);
      for (const type of [DomainDetailType.RawLanded, DomainDetailType.TableCrawled, DomainDetailType.RefinedWritten, DomainDetailType.ForecastReady]) expect(published).toContain(type);
      const rules = new Set(driver.deliveries.map((d) => d.rule));
      for (const rule of ['raw-object-created', 'raw-landed-crawl', 'crawler-finished', 'raw-crawled-refine', 'refine-query-finished', 'refined-crawl', 'refined-forecast', 'refined-crawled-forecast', 'refined-publish-views', 'transform-finished', 'forecast-crawl', 'stage-failed-alert']) expect(rules).toContain(rule);
      const runs = (await deps.runs.listRuns({ limit: 10 })).runs;

      const reader = new AthenaQueryEngine(clients.athena, { workGroups: [env[RuntimeEnvName.ReadWorkgroup]] });
      const onAws: string[][] = [];
      for (const [zone, table] of COMPARED) onAws.push(await dumpTable(reader, `${databaseOf(topology, zone)}.${table}`, env[RuntimeEnvName.ReadWorkgroup]));
      const embedded = await embeddedRun(await dir('chain-embedded'), files);
      // The same runs (a run's id is its object's key and ETag), ending the same way with the same row counts.
      expect(runStates(runs)).toEqual(runStates(embedded.runs));
      for (const { key } of [first, second]) expect(runs.find((r) => r.object.key === key)?.rowCounts?.refined).toBeGreaterThan(0);
      expect(await quarantined(s3, env[RuntimeEnvName.QuarantineBucket])).toEqual(embedded.quarantined);
      expect(embedded.quarantined).toEqual([BAD_FILE.key]);
      for (const rows of onAws) expect(rows.length).toBeGreaterThan(0);
      expect(onAws).toEqual(embedded.tables);
    } finally {
      await localCrawler.close();
      await endpoint.close();
      await endpointBus.close();
      await engine.engine.close();
      for (const client of [...Object.values(clients), sqs]) client.destroy();
    }
  });
});
