import '../integration/quiet-logs';
import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateCrawlerCommand, CreateDatabaseCommand, GlueClient, ListCrawlsCommand, StartCrawlerCommand, StopCrawlerCommand } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SNSClient } from '@aws-sdk/client-sns';
import { PipelineError } from '../../contracts/pipeline-error';
import { StageId } from '../../events/stage-ids';
import { stages } from '../../handlers/stages';
import { crawlerNameOf, databaseOf } from '../../handlers/stage-kit/naming';
import { awsStageDeps, awsTopology, type AwsClients } from '../../infra/aws/lambda/aws-stage-deps';
import { RuntimeEnvName, type RuntimeEnv } from '../../infra/aws/lambda/runtime-env';
import { ensureTables } from '../../infra/emulators/dynamodb/ensure-tables';
import { MOTO_ACCOUNT, MOTO_REGION, describeOnMoto } from '../infra/aws/moto/moto-server';
import { MOTO_PREFIX, motoBucket, motoStageEnv } from '../infra/aws/moto/moto-stage-env';

const prefix = MOTO_PREFIX;
const bucket = motoBucket;
const env: RuntimeEnv = motoStageEnv(StageId.AnnounceCrawl);

/** The `Glue Crawler State Change` event of a crawl that succeeded, as EventBridge delivers it. */
function succeeded(crawlerName: string): unknown {
  return {
    version: '0', id: 'crawl-succeeded', 'detail-type': 'Glue Crawler State Change', source: 'aws.glue', account: MOTO_ACCOUNT, time: '2026-01-05T10:10:00Z', region: MOTO_REGION, resources: [],
    detail: {
      crawlerName, state: 'Succeeded', message: 'Crawler Succeeded', tablesCreated: '0', tablesUpdated: '0', tablesDeleted: '0', partitionsCreated: '0', partitionsUpdated: '0', partitionsDeleted: '0',
      'runningTime (sec)': '60', completionDate: '2026-01-05T10:10:00Z', warningMessage: 'N/A', accountId: MOTO_ACCOUNT,
    },
  };
}

/**
 * AWS does not document whether a crawler's `Succeeded` event can arrive while GetCrawler still says
 * STOPPING. A crawl requested during that crawl (pending) cannot start then, and no later event of
 * the crawler would start it on AWS: announce-crawl fails the delivery as retryable, so the rule's
 * retry policy delivers it again once the crawler is READY, and that delivery starts the crawl.
 */
describeOnMoto('announce-crawl on the AWS wiring: a crawler still STOPPING when its Succeeded event arrives', (moto) => {
  it('fails the delivery as retryable while a crawl is pending, and starts that crawl on the retry', async () => {
    await moto().setTransition('glue::crawl', { progression: 'manual', times: 1 });
    const config = moto().clientConfig;
    const clients: AwsClients = {
      s3: new S3Client({ ...config, forcePathStyle: true }),
      glue: new GlueClient(config),
      athena: new AthenaClient(config),
      sagemaker: new SageMakerClient(config),
      sns: new SNSClient(config),
      eventBridge: new EventBridgeClient(config),
      dynamodb: new DynamoDBClient(config),
    };
    try {
      const topology = awsTopology(env);
      await ensureTables(clients.dynamodb, { runs: env[RuntimeEnvName.RunTable], idempotency: env[RuntimeEnvName.IdempotencyTable] });
      await clients.eventBridge.send(new CreateEventBusCommand({ Name: prefix }));
      const crawler = crawlerNameOf(topology, 'traffic', 'raw');
      await clients.glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: databaseOf(topology, 'raw') } }));
      await clients.glue.send(new CreateCrawlerCommand({ Name: crawler, Role: `arn:aws:iam::${MOTO_ACCOUNT}:role/crawler`, DatabaseName: databaseOf(topology, 'raw'), Targets: { S3Targets: [{ Path: `s3://${bucket('raw')}/traffic/` }] } }));
      const deps = awsStageDeps(env, clients);

      // A crawl runs; a landing meanwhile requests another (pending); the crawl ends, its crawler still STOPPING.
      await clients.glue.send(new StartCrawlerCommand({ Name: crawler }));
      await deps.runs.markCrawlPending('traffic', 'raw', '2026-01-05T10:05:00Z');
      await clients.glue.send(new StopCrawlerCommand({ Name: crawler }));
      expect(await deps.crawler.getCrawler(crawler)).toMatchObject({ State: 'STOPPING' });

      const first = await stages[StageId.AnnounceCrawl](succeeded(crawler), deps).then(() => undefined, (error: unknown) => error);
      expect(first).toBeInstanceOf(PipelineError);
      expect(first).toMatchObject({ retryable: true, message: expect.stringContaining('STOPPING') });
      expect(await deps.runs.getPendingCrawl('traffic', 'raw')).toBeDefined();

      // moto ends the stop on the next ListCrawls: the crawler is READY, and the retried delivery starts the pending crawl.
      await clients.glue.send(new ListCrawlsCommand({ CrawlerName: crawler }));
      await stages[StageId.AnnounceCrawl](succeeded(crawler), deps);
      expect(await deps.crawler.getCrawler(crawler)).toMatchObject({ State: 'RUNNING' });
      expect(await deps.runs.getPendingCrawl('traffic', 'raw')).toBeUndefined();
    } finally {
      for (const client of Object.values(clients)) client.destroy();
    }
  });
});
