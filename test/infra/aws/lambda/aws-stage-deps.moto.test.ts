import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateCrawlerCommand, CreateDatabaseCommand, GlueClient } from '@aws-sdk/client-glue';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DomainDetailType, TRIBUTARY_SOURCE } from '../../../../contracts/domain-events';
import { StageId } from '../../../../events/stage-ids';
import { stages } from '../../../../handlers/stages';
import { crawlerNameOf, databaseOf } from '../../../../handlers/stage-kit/naming';
import { awsStageDeps, awsTopology, type AwsClients } from '../../../../infra/aws/lambda/aws-stage-deps';
import { RuntimeEnvName, type RuntimeEnv } from '../../../../infra/aws/lambda/runtime-env';
import { ensureTables } from '../../../../infra/emulators/dynamodb/ensure-tables';
import { MOTO_ACCOUNT, MOTO_REGION, describeOnMoto } from '../moto/moto-server';
import { MOTO_PREFIX, motoBucket, motoStageEnv } from '../moto/moto-stage-env';

const prefix = MOTO_PREFIX;
const bucket = motoBucket;
const env: RuntimeEnv = motoStageEnv(StageId.RegisterLanding);
const reading = (minute: number): string => `${JSON.stringify({ uniqueId: 'sensor-1', recordTimestamp: `2026-01-05T10:${String(minute).padStart(2, '0')}:00+00:00`, currentSpeed: 80 + minute, bezettingsgraad: 5, previousSpeed: 79, trafficIntensityClass2: 3, trafficIntensityClass3: 1, trafficIntensityClass4: 0, trafficIntensityClass5: 0 })}\n`;

/**
 * The first hops of the chain on the AWS wiring, over the wire: the stages built by the Lambda
 * composition root (`awsStageDeps`) with unmodified SDK clients on moto, the resources created as the
 * stack names them. A landed file's S3 `Object Created` event registers the run (DynamoDB) and
 * publishes RawLanded on the bus (read back through a rule's SQS target); RawLanded makes request-crawl
 * start the dataset's raw crawler (Glue). moto's crawlers catalogue nothing, so the chain stops there.
 */
describeOnMoto('The AWS composition root over the wire (moto server): landing to raw crawl', (moto) => {
  it('registers a landed file and starts its raw crawl', async () => {
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
    const sqs = new SQSClient(config);
    try {
      const topology = awsTopology(env);
      for (const zone of ['raw', 'refined', 'forecast', 'quarantine']) await clients.s3.send(new CreateBucketCommand({ Bucket: bucket(zone) }));
      await ensureTables(clients.dynamodb, { runs: env[RuntimeEnvName.RunTable], idempotency: env[RuntimeEnvName.IdempotencyTable] });
      await clients.sns.send(new CreateTopicCommand({ Name: `${prefix}-alerts` }));
      await clients.eventBridge.send(new CreateEventBusCommand({ Name: prefix }));
      const QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'observed' }))).QueueUrl ?? '';
      await clients.eventBridge.send(new PutRuleCommand({ Name: 'observe', EventBusName: prefix, EventPattern: JSON.stringify({ source: [TRIBUTARY_SOURCE] }) }));
      await clients.eventBridge.send(new PutTargetsCommand({ Rule: 'observe', EventBusName: prefix, Targets: [{ Id: 'q', Arn: `arn:aws:sqs:${MOTO_REGION}:${MOTO_ACCOUNT}:observed` }] }));
      const crawler = crawlerNameOf(topology, 'traffic', 'raw');
      await clients.glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: databaseOf(topology, 'raw') } }));
      await clients.glue.send(new CreateCrawlerCommand({ Name: crawler, Role: `arn:aws:iam::${MOTO_ACCOUNT}:role/crawler`, DatabaseName: databaseOf(topology, 'raw'), Targets: { S3Targets: [{ Path: `s3://${bucket('raw')}/traffic/` }] } }));

      const key = 'traffic/2026/01/05/10/traffic-stream-1-2026-01-05-10-00-00-0.jsonl';
      await clients.s3.send(new PutObjectCommand({ Bucket: bucket('raw'), Key: key, Body: reading(1) + reading(2) + reading(3) }));
      const head = await clients.s3.send(new HeadObjectCommand({ Bucket: bucket('raw'), Key: key }));
      const objectCreated = {
        version: '0', id: 'ev-landed', 'detail-type': 'Object Created', source: 'aws.s3', account: MOTO_ACCOUNT, time: '2026-01-05T10:05:00Z', region: MOTO_REGION, resources: [`arn:aws:s3:::${bucket('raw')}`],
        detail: { version: '0', bucket: { name: bucket('raw') }, object: { key, size: head.ContentLength, etag: (head.ETag ?? '').replace(/"/g, ''), sequencer: '0' }, 'request-id': 'r', requester: MOTO_ACCOUNT, reason: 'PutObject' },
      };

      const deps = awsStageDeps(env, clients);
      await stages[StageId.RegisterLanding](objectCreated, deps);
      const published = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages ?? [];
      const rawLanded = published.map((m) => JSON.parse(m.Body ?? '{}') as { 'detail-type': string; detail: { runId: string; dataset: string } }).find((e) => e['detail-type'] === DomainDetailType.RawLanded);
      expect(rawLanded?.detail).toMatchObject({ dataset: 'traffic', object: { bucket: bucket('raw'), key } });
      const run = await deps.runs.getRun(rawLanded?.detail.runId ?? '');
      expect(run?.run).toMatchObject({ dataset: 'traffic', lastStage: StageId.RegisterLanding, lastStatus: 'succeeded' });

      await stages[StageId.RequestCrawl](rawLanded, deps);
      expect(await deps.crawler.getCrawler(crawler)).toMatchObject({ State: 'RUNNING' });
    } finally {
      for (const client of [...Object.values(clients), sqs]) client.destroy();
    }
  });
});
