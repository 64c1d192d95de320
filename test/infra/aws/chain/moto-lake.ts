import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateCrawlerCommand, CreateDatabaseCommand, type GlueClient } from '@aws-sdk/client-glue';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateModelCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CreateTopicCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { EventEnvelopeSchema, type EventEnvelope } from '../../../../contracts/envelope';
import type { DatasetManifest } from '../../../../contracts/dataset-manifest';
import { TRIBUTARY_SOURCE } from '../../../../contracts/domain-events';
import type { LakeTopology } from '../../../../handlers/stage-deps';
import { CRAWLER_CONFIGURATION, CRAWLER_SCHEMA_CHANGE_POLICY } from '../../../../handlers/stage-kit/crawler-configuration';
import { databaseOf } from '../../../../handlers/stage-kit/naming';
import { CRAWLED_ZONES, crawlerSpecs } from '../../../../infra/aws/crawler-specs';
import { RuntimeEnvName, type RuntimeEnv } from '../../../../infra/aws/lambda/runtime-env';
import { ensureTables } from '../../../../infra/emulators/dynamodb/ensure-tables';
import { MOTO_ACCOUNT, MOTO_REGION } from '../moto/moto-server';

/** The clients the lake is created with (the same the composition root gets, plus SQS to read the bus back). */
export interface MotoLakeClients {
  readonly s3: S3Client;
  readonly glue: GlueClient;
  readonly sagemaker: SageMakerClient;
  readonly sns: SNSClient;
  readonly eventBridge: EventBridgeClient;
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
}

const OBSERVED = 'tributary-observed';
const PAGED = 'tributary-paged';

/** What the test reads back from moto: the domain events the stages put, and the alerts they published. */
export interface MotoLakeReaders {
  /** Every domain event put on the pipeline's bus since the last call, as EventBridge delivered it to an SQS target. */
  readonly domainEvents: () => Promise<EventEnvelope[]>;
  /** Every alert published to the alert topic since the last call, as SNS delivered it to an SQS subscriber (its notification's JSON). */
  readonly alerts: () => Promise<unknown[]>;
}

/**
 * Creates in moto what the stack creates and the stages use, named as the stack names it (the
 * function environment, `crawlerSpecs`, the crawler settings of `GlueCrawlers`): the zone buckets, the
 * run and idempotency tables, the alert topic, the pipeline bus, the zone databases and every
 * crawler (the raw one in S3 event mode with its queue), and the SageMaker model of each forecast
 * (its name as CloudFormation would generate it, handed to the functions in `TRIBUTARY_MODEL_NAMES`).
 * One more rule on the bus sends every domain event to an SQS queue, and an SQS queue subscribes to
 * the alert topic, so the test reads back what the stages put and paged, over the wire.
 */
export async function createMotoLake(clients: MotoLakeClients, env: RuntimeEnv, topology: LakeTopology, manifests: readonly DatasetManifest[]): Promise<MotoLakeReaders> {
  for (const bucket of Object.values(topology.buckets)) await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await ensureTables(clients.dynamodb, { runs: env[RuntimeEnvName.RunTable], idempotency: env[RuntimeEnvName.IdempotencyTable] });
  const TopicArn = (await clients.sns.send(new CreateTopicCommand({ Name: env[RuntimeEnvName.AlertTopicArn].split(':').pop() ?? '' }))).TopicArn;
  const paged = (await clients.sqs.send(new CreateQueueCommand({ QueueName: PAGED }))).QueueUrl ?? '';
  await clients.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn(PAGED) }));
  await clients.eventBridge.send(new CreateEventBusCommand({ Name: topology.names.busName }));
  const QueueUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: OBSERVED }))).QueueUrl ?? '';
  await clients.eventBridge.send(new PutRuleCommand({ Name: OBSERVED, EventBusName: topology.names.busName, EventPattern: JSON.stringify({ source: [TRIBUTARY_SOURCE] }) }));
  await clients.eventBridge.send(new PutTargetsCommand({ Rule: OBSERVED, EventBusName: topology.names.busName, Targets: [{ Id: 'observed', Arn: queueArn(OBSERVED) }] }));
  for (const zone of CRAWLED_ZONES) await clients.glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: databaseOf(topology, zone) } }));
  for (const spec of crawlerSpecs(topology, manifests)) {
    const events = spec.zone === 'raw' ? queueArn(`${spec.name}-events`) : undefined;
    if (events !== undefined) await clients.sqs.send(new CreateQueueCommand({ QueueName: `${spec.name}-events` }));
    await clients.glue.send(
      new CreateCrawlerCommand({
        Name: spec.name,
        Role: `arn:aws:iam::${MOTO_ACCOUNT}:role/tributary-crawlers`,
        DatabaseName: spec.database,
        Targets: { S3Targets: spec.keyPrefixes.map((prefix) => ({ Path: `s3://${topology.buckets[spec.zone]}/${prefix}`, ...(events === undefined ? {} : { EventQueueArn: events }) })) },
        SchemaChangePolicy: { ...CRAWLER_SCHEMA_CHANGE_POLICY },
        RecrawlPolicy: { RecrawlBehavior: events === undefined ? 'CRAWL_EVERYTHING' : 'CRAWL_EVENT_MODE' },
        Configuration: CRAWLER_CONFIGURATION,
      }),
    );
  }
  for (const deployed of Object.values(env[RuntimeEnvName.ModelNames])) {
    await clients.sagemaker.send(new CreateModelCommand({ ModelName: deployed, ExecutionRoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/tributary-forecast`, PrimaryContainer: { Image: `${MOTO_ACCOUNT}.dkr.ecr.${MOTO_REGION}.amazonaws.com/tributary-forecast:chain` } }));
  }
  return {
    domainEvents: async () => (await drain(clients.sqs, QueueUrl)).map((body) => EventEnvelopeSchema.parse(JSON.parse(body))),
    alerts: async () => (await drain(clients.sqs, paged)).map((body): unknown => JSON.parse(body)),
  };
}

function queueArn(name: string): string {
  return `arn:aws:sqs:${MOTO_REGION}:${MOTO_ACCOUNT}:${name}`;
}

/** The body of every message on the queue, deleted once read. */
async function drain(sqs: SQSClient, QueueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    if (Number(attributes.Attributes?.ApproximateNumberOfMessages ?? '0') === 0) return bodies;
    const messages = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages ?? [];
    for (const m of messages) bodies.push(m.Body ?? '{}');
    if (messages.length > 0) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }));
  }
}
