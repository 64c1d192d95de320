import type { AthenaClient } from '@aws-sdk/client-athena';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { GlueClient } from '@aws-sdk/client-glue';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { StageDeps } from '../../../handlers/stage-deps';
import { FolderDatasetStore } from '../../datasets/folder-dataset-store';
import { awsTopology } from './aws-topology';
import type { RuntimeEnv } from './runtime-env';
import * as athena from './services/athena';
import * as dynamodb from './services/dynamodb';
import * as eventBridge from './services/eventbridge';
import * as glue from './services/glue';
import * as s3 from './services/s3';
import * as sagemaker from './services/sagemaker';
import * as sns from './services/sns';

export { awsTopology } from './aws-topology';
import { JsRawFileInspector } from '../inspect/js-raw-file-inspector';

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
  return { s3: s3.client(), glue: glue.client(), athena: athena.client(), sagemaker: sagemaker.client(), sns: sns.client(), eventBridge: eventBridge.client(), dynamodb: dynamodb.client() };
}

/**
 * Every port wired to its AWS adapter over the given clients — S3, Glue catalog and crawlers, Athena
 * in our workgroups, SageMaker, SNS, EventBridge for domain events, the DynamoDB run store, job store
 * and Powertools idempotency — with the same wiring (`services/`) a Lambda uses for the ports its
 * stage declares (aws-stage-ports.ts builds only those, lazily). The wire tests' composition root.
 * The datasets are read from the `sql/` folder bundled beside the code.
 */
export function awsStageDeps(env: RuntimeEnv, clients: AwsClients = defaultAwsClients(), sqlDir?: string): StageDeps {
  return {
    ...s3.ports(clients.s3, env),
    ...glue.ports(clients.glue),
    ...athena.ports(clients.athena, env),
    ...sagemaker.ports(clients.sagemaker, env),
    ...dynamodb.ports(clients.dynamodb, env),
    ...eventBridge.ports(clients.eventBridge, env),
    ...sns.ports(clients.sns, env),
    datasets: new FolderDatasetStore(sqlDir),
    topology: awsTopology(env),
    clock: () => new Date(),
    // No DuckDB in Lambda: landed files are read in pure JavaScript, to the same contract.
    inspector: new JsRawFileInspector(),
  };
}
