import { Aws, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { RunTableSchema } from '../../dynamodb/tables';
import { acknowledgeTableWildcards } from '../nag-acknowledgements';
import type { Needs, Zone, ZoneAccess } from '../../../handlers/stage-needs';
import type { LakeBucketSet } from './lake-buckets';
import { QUERY_RESULTS_PREFIX } from './athena-workgroup';
import { grantObjects, ObjectAccess } from './grant-objects';

/** The resources a stage's grants are scoped to. */
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
const RUN_TABLE_ACTIONS: readonly string[] = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem'];
/** What Powertools' DynamoDB persistence layer calls. */
const IDEMPOTENCY_ACTIONS: readonly string[] = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
const CATALOG_READ: readonly string[] = ['glue:GetDatabase', 'glue:GetDatabases', 'glue:CreateDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetTableVersion', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'];
const CATALOG_WRITE: readonly string[] = ['glue:CreateTable', 'glue:UpdateTable', 'glue:DeleteTable', 'glue:BatchCreatePartition', 'glue:CreatePartition', 'glue:UpdatePartition', 'glue:BatchDeletePartition', 'glue:DeletePartition'];

/** The object actions each declared zone access maps to. */
const OBJECT_ACCESS: Readonly<Record<ZoneAccess, readonly ObjectAccess[]>> = {
  read: [ObjectAccess.Read],
  'read-delete': [ObjectAccess.Read, ObjectAccess.Delete],
  write: [ObjectAccess.Read, ObjectAccess.Write, ObjectAccess.Delete],
};

/**
 * Grants a stage's role what its declared needs imply, and nothing more, scoped to our resources
 * only: our buckets (per declared zone and access), tables, bus, workgroups, zone databases, crawlers
 * (by name), transform jobs (by our prefix) and alert topic. A query runs with the caller's rights, so
 * `query` also grants reading the catalog (`ddl`: writing it) and the query-results location; the
 * zones its SQL reads or writes are declared in `zones`. The inspector and the always-given members
 * reach no service and grant nothing.
 */
export function grantNeeds(role: iam.IRole, needs: Needs, t: GrantTargets): void {
  const allow = (actions: readonly string[], resources: string[]): void => {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...actions], resources }));
  };
  if (needs.publisher) t.bus.grantPutEventsTo(role);
  if (needs.runs || needs.jobs) allow(RUN_TABLE_ACTIONS, [t.runTable.tableArn, `${t.runTable.tableArn}/index/${RunTableSchema.runsIndex}`]);
  if (needs.idempotency) allow(IDEMPOTENCY_ACTIONS, [t.idempotencyTable.tableArn]);
  for (const [zone, access] of Object.entries(needs.zones ?? {})) {
    if (isZone(zone) && access !== undefined) grantObjects(role, t.buckets[zone], OBJECT_ACCESS[access]);
  }
  if (needs.query) {
    allow(['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup'], t.workgroups.map((wg) => arn('athena', `workgroup/${wg}`)));
    grantObjects(role, t.buckets.queryResults, [ObjectAccess.Read, ObjectAccess.Write], QUERY_RESULTS_PREFIX);
  }
  const catalogWrite = needs.catalog === 'write' || needs.query === 'ddl';
  if (needs.catalog || needs.query) {
    const catalogResources = [arn('glue', 'catalog'), ...t.databases.flatMap((db) => [arn('glue', `database/${db}`), arn('glue', `table/${db}/*`)])];
    allow(catalogWrite ? [...CATALOG_READ, ...CATALOG_WRITE] : CATALOG_READ, catalogResources);
    acknowledgeTableWildcards(role, t.databases, catalogWrite ? 'the stage reads and writes tables, partitions and views of whichever dataset its event names' : 'the stage reads the table of whichever dataset its event names');
  }
  if (needs.crawler) allow(['glue:StartCrawler', 'glue:GetCrawler'], t.crawlerNames.map((name) => arn('glue', `crawler/${name}`)));
  if (needs.transform) {
    allow(['sagemaker:CreateTransformJob', 'sagemaker:DescribeTransformJob'], [arn('sagemaker', `transform-job/${t.prefix}-*`)]);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:transform-job/${t.prefix}-*]`,
      reason: `${role.node.path}: transform jobs are named per run (<prefix>-<dataset>-<hash>) when the stage starts them; the prefix confines the grant to ours.`,
    });
  }
  if (needs.alerts) {
    allow(['sns:Publish'], [t.topic.topicArn]);
    t.topicKey.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');
  }
}

function isZone(value: string): value is Zone {
  return value === 'raw' || value === 'refined' || value === 'forecast' || value === 'quarantine';
}
