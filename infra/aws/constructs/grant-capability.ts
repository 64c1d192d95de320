import { Aws, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { RunTableSchema } from '../../dynamodb/tables';
import { acknowledgeTableWildcards } from '../nag-acknowledgements';
import { Capability } from '../stage-permissions';
import type { LakeBucketSet } from './lake-buckets';
import { QUERY_RESULTS_PREFIX } from './athena-workgroup';
import { grantObjects, ObjectAccess } from './grant-objects';

/** The resources capabilities are scoped to. */
export interface GrantTargets {
  readonly prefix: string;
  readonly buckets: LakeBucketSet;
  readonly runTable: dynamodb.ITable;
  readonly idempotencyTable: dynamodb.ITable;
  readonly bus: events.IEventBus;
  readonly workgroups: readonly string[];
  readonly databases: readonly string[];
  readonly crawlerNames: readonly string[];
  readonly topic: sns.ITopic;
  readonly topicKey: kms.IKey;
}

const arn = (service: string, resource: string): string => `arn:${Aws.PARTITION}:${service}:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;

/** What the DynamoDB run store and job store call (infra/dynamodb), on the table and its runs index. */
const RUN_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem'];
/** What Powertools' DynamoDB persistence layer calls. */
const IDEMPOTENCY_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
const CATALOG_READ = ['glue:GetDatabase', 'glue:GetDatabases', 'glue:CreateDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetTableVersion', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'];
const CATALOG_WRITE = ['glue:CreateTable', 'glue:UpdateTable', 'glue:DeleteTable', 'glue:BatchCreatePartition', 'glue:CreatePartition', 'glue:UpdatePartition', 'glue:BatchDeletePartition', 'glue:DeletePartition'];

/**
 * Grants one capability to a stage's role, scoped to our resources only: our buckets, tables, bus,
 * workgroups, zone databases, crawlers (by name), transform jobs (by our prefix) and alert topic.
 */
export function grantCapability(role: iam.IRole, capability: Capability, t: GrantTargets): void {
  const allow = (actions: string[], resources: string[]): void => {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources }));
  };
  const catalogResources = [arn('glue', 'catalog'), ...t.databases.flatMap((db) => [arn('glue', `database/${db}`), arn('glue', `table/${db}/*`)])];
  switch (capability) {
    case Capability.PublishEvents:
      t.bus.grantPutEventsTo(role);
      return;
    case Capability.RunState:
      allow(RUN_TABLE_ACTIONS, [t.runTable.tableArn, `${t.runTable.tableArn}/index/${RunTableSchema.runsIndex}`]);
      return;
    case Capability.Idempotency:
      allow(IDEMPOTENCY_ACTIONS, [t.idempotencyTable.tableArn]);
      return;
    case Capability.ReadRaw:
      grantObjects(role, t.buckets.raw, [ObjectAccess.Read]);
      return;
    case Capability.Quarantine:
      grantObjects(role, t.buckets.raw, [ObjectAccess.Read, ObjectAccess.Delete]);
      grantObjects(role, t.buckets.quarantine, [ObjectAccess.Read, ObjectAccess.Write]);
      return;
    case Capability.ReadRefined:
      grantObjects(role, t.buckets.refined, [ObjectAccess.Read]);
      return;
    case Capability.WriteRefined:
      grantObjects(role, t.buckets.refined, [ObjectAccess.Read, ObjectAccess.Write, ObjectAccess.Delete]);
      return;
    case Capability.ReadForecast:
      grantObjects(role, t.buckets.forecast, [ObjectAccess.Read]);
      return;
    case Capability.WriteForecast:
      grantObjects(role, t.buckets.forecast, [ObjectAccess.Read, ObjectAccess.Write, ObjectAccess.Delete]);
      return;
    case Capability.RunQueries:
      allow(['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup'], t.workgroups.map((wg) => arn('athena', `workgroup/${wg}`)));
      grantObjects(role, t.buckets.queryResults, [ObjectAccess.Read, ObjectAccess.Write], QUERY_RESULTS_PREFIX);
      return;
    case Capability.ReadCatalog:
      allow(CATALOG_READ, catalogResources);
      acknowledgeTableWildcards(role, t.databases, 'the stage reads the table of whichever dataset its event names');
      return;
    case Capability.WriteCatalog:
      allow(CATALOG_WRITE, catalogResources);
      acknowledgeTableWildcards(role, t.databases, 'the stage writes partitions and views of whichever dataset its event names');
      return;
    case Capability.StartCrawlers:
      allow(['glue:StartCrawler', 'glue:GetCrawler'], t.crawlerNames.map((name) => arn('glue', `crawler/${name}`)));
      return;
    case Capability.RunTransforms:
      allow(['sagemaker:CreateTransformJob', 'sagemaker:DescribeTransformJob'], [arn('sagemaker', `transform-job/${t.prefix}-*`)]);
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:transform-job/${t.prefix}-*]`,
        reason: `${role.node.path}: transform jobs are named per run (<prefix>-<dataset>-<hash>) when the stage starts them; the prefix confines the grant to ours.`,
      });
      return;
    case Capability.SendAlerts:
      allow(['sns:Publish'], [t.topic.topicArn]);
      t.topicKey.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');
      return;
  }
}
