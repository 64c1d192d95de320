import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SNSClient } from '@aws-sdk/client-sns';
import { EventBridgeTransport } from '../../../events/eventbridge-transport';
import { EventPublisher } from '../../../events/publisher';
import type { LakeTopology, StageDeps } from '../../../handlers/stage-deps';
import { FolderDatasetStore } from '../../datasets/folder-dataset-store';
import { DynamoDbJobStore } from '../../dynamodb/dynamodb-job-store';
import { DynamoDbRunStore } from '../../dynamodb/dynamodb-run-store';
import { PowertoolsIdempotency } from '../../dynamodb/idempotency';
import { AthenaQueryEngine } from '../adapters/athena-query-engine';
import { GlueCatalog } from '../adapters/glue-catalog';
import { GlueCrawler } from '../adapters/glue-crawler';
import { S3ObjectStore } from '../adapters/s3-object-store';
import { SageMakerBatchTransform } from '../adapters/sagemaker-batch-transform';
import { SnsAlertSink } from '../adapters/sns-alert-sink';
import { JsRawFileInspector } from '../inspect/js-raw-file-inspector';
import { RuntimeEnvName, type RuntimeEnv } from './runtime-env';

/** The AWS SDK clients the adapters talk through; region and credentials come from the Lambda environment. */
export interface AwsClients {
  readonly s3: S3Client;
  readonly glue: GlueClient;
  readonly athena: AthenaClient;
  readonly sagemaker: SageMakerClient;
  readonly sns: SNSClient;
  readonly eventBridge: EventBridgeClient;
  readonly dynamodb: DynamoDBClient;
}

/** One client per service, with the SDK's standard retries. */
export function defaultAwsClients(): AwsClients {
  return {
    s3: new S3Client({}),
    glue: new GlueClient({}),
    athena: new AthenaClient({}),
    sagemaker: new SageMakerClient({}),
    sns: new SNSClient({}),
    eventBridge: new EventBridgeClient({}),
    dynamodb: new DynamoDBClient({}),
  };
}

/** The lake as the stages see it on AWS, from the function's environment (the stack sets the same names). */
export function awsTopology(env: RuntimeEnv): LakeTopology {
  return {
    names: { busName: env[RuntimeEnvName.Bus], rawBucket: env[RuntimeEnvName.RawBucket], resourcePrefix: env[RuntimeEnvName.Prefix], athenaWorkgroup: env[RuntimeEnvName.RefineWorkgroup] },
    buckets: { raw: env[RuntimeEnvName.RawBucket], refined: env[RuntimeEnvName.RefinedBucket], forecast: env[RuntimeEnvName.ForecastBucket], quarantine: env[RuntimeEnvName.QuarantineBucket] },
    readWorkgroup: env[RuntimeEnvName.ReadWorkgroup],
  };
}

/**
 * The composition root of the Lambda entry points: every port wired to its AWS adapter — S3, Glue
 * catalog and crawlers, Athena in our workgroups, SageMaker, SNS, EventBridge for domain events — and
 * the shared DynamoDB run store, job store and Powertools idempotency, the same code the embedded
 * default runs against dynalite. The datasets are read from the `sql/` folder bundled beside the code.
 */
export function awsStageDeps(env: RuntimeEnv, clients: AwsClients = defaultAwsClients(), sqlDir?: string): StageDeps {
  const topology = awsTopology(env);
  const { buckets } = topology;
  const runTable = env[RuntimeEnvName.RunTable];
  return {
    objects: new S3ObjectStore(clients.s3, [buckets.raw, buckets.refined, buckets.forecast, buckets.quarantine]),
    catalog: new GlueCatalog(clients.glue),
    crawler: new GlueCrawler(clients.glue),
    query: new AthenaQueryEngine(clients.athena, { workGroups: [topology.names.athenaWorkgroup, topology.readWorkgroup] }),
    transform: new SageMakerBatchTransform(clients.sagemaker, env[RuntimeEnvName.ModelNames]),
    runs: new DynamoDbRunStore({ client: clients.dynamodb, tableName: runTable }),
    jobs: new DynamoDbJobStore({ client: clients.dynamodb, tableName: runTable }),
    idempotency: new PowertoolsIdempotency({ client: clients.dynamodb, tableName: env[RuntimeEnvName.IdempotencyTable] }),
    publisher: new EventPublisher({ transport: new EventBridgeTransport(clients.eventBridge), eventBusName: topology.names.busName }),
    alerts: new SnsAlertSink(clients.sns, env[RuntimeEnvName.AlertTopicArn]),
    datasets: new FolderDatasetStore(sqlDir),
    topology,
    clock: () => new Date(),
    // No DuckDB in Lambda: landed files are read in pure JavaScript, to the same contract.
    inspector: new JsRawFileInspector(),
  };
}
