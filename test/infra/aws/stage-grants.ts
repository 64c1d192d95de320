import type { CfnElement } from 'aws-cdk-lib';
import type { StageId } from '../../../events/stage-ids';
import type { Needs, Zone, ZoneAccess } from '../../../handlers/stage-needs';
import type { TributaryStack } from '../../../infra/aws/tributary-stack';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown };

/**
 * What a declaration implies, written out here independently of grant-capability.ts: `action @ what`
 * pairs, the resource named by role (a zone's bucket or its objects, a table, the bus …).
 */
const LIST = ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads'];
const OBJECT_ACTIONS: Record<ZoneAccess, string[]> = {
  read: ['s3:GetObject'],
  'read-delete': ['s3:GetObject', 's3:DeleteObject'],
  write: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:DeleteObject'],
};
const RUN_TABLE = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem', 'ConditionCheckItem'].map((a) => `dynamodb:${a}`);
const IDEMPOTENCY = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'].map((a) => `dynamodb:${a}`);
const GLUE_READ = ['GetDatabase', 'GetDatabases', 'CreateDatabase', 'GetTable', 'GetTables', 'GetTableVersion', 'GetPartition', 'GetPartitions', 'BatchGetPartition'].map((a) => `glue:${a}`);
const GLUE_WRITE = ['CreateTable', 'UpdateTable', 'DeleteTable', 'BatchCreatePartition', 'CreatePartition', 'UpdatePartition', 'BatchDeletePartition', 'DeletePartition'].map((a) => `glue:${a}`);
const ATHENA = ['StartQueryExecution', 'GetQueryExecution', 'GetQueryResults', 'StopQueryExecution', 'GetWorkGroup'].map((a) => `athena:${a}`);
const GLUE_PLACES = ['glue-catalog', 'glue-database', 'glue-table'];

export function implied(needs: Needs): string[] {
  const out: string[] = ['logs:CreateLogStream @ logs', 'logs:PutLogEvents @ logs'];
  const on = (actions: string[], places: string[]): void => {
    for (const a of actions) for (const p of places) out.push(`${a} @ ${p}`);
  };
  if (needs.publisher) on(['events:PutEvents'], ['bus']);
  if (needs.runs || needs.jobs) on(RUN_TABLE, ['run-table', 'run-table index']);
  if (needs.idempotency) on(IDEMPOTENCY, ['idempotency-table']);
  for (const [zone, access] of Object.entries(needs.zones ?? {}) as [Zone, ZoneAccess][]) {
    on(OBJECT_ACTIONS[access], [`${zone} objects`]);
    on(LIST, [zone]);
  }
  if (needs.query) {
    on(ATHENA, ['workgroup']);
    on(['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], ['query-results objects']);
    on(LIST, ['query-results']);
  }
  if (needs.catalog || needs.query) on(GLUE_READ, GLUE_PLACES);
  if (needs.catalog === 'write' || needs.query === 'ddl') on(GLUE_WRITE, GLUE_PLACES);
  if (needs.crawler) on(['glue:StartCrawler', 'glue:GetCrawler'], ['crawler']);
  if (needs.transform) on(['sagemaker:CreateTransformJob', 'sagemaker:DescribeTransformJob'], ['transform-job']);
  if (needs.alerts) {
    on(['sns:Publish'], ['alert-topic']);
    on(['kms:Decrypt', 'kms:GenerateDataKey'], ['alert-key']);
  }
  return [...new Set(out)].sort();
}

/**
 * The grants of a stage's role in the synthesised template, as `action @ what` pairs (the delivery
 * path's SQS actions left out: the queue → function wiring is the function's own, not a declared port).
 */
export function grantsOf(stack: TributaryStack, resources: Record<string, Resource>, stage: StageId): string[] {
  const entries = Object.entries(resources);
  const logicalId = (construct: unknown): string => stack.getLogicalId((construct as { node: { defaultChild: CfnElement } }).node.defaultChild);
  const [runTable, idempotencyTable] = entries.filter(([, r]) => r.Type === 'AWS::DynamoDB::Table').sort(([, r]) => (r.Properties.GlobalSecondaryIndexes ? -1 : 1)).map(([id]) => id);
  const named: [string, string][] = [
    ...(['raw', 'refined', 'forecast', 'quarantine', 'queryResults'] as const).map((z): [string, string] => [logicalId(stack.lake[z]), z === 'queryResults' ? 'query-results' : z]),
    [runTable ?? '', 'run-table'],
    [idempotencyTable ?? '', 'idempotency-table'],
    [logicalId(stack.pipeline.bus), 'bus'],
    [logicalId(stack.alerting.topic), 'alert-topic'],
    [logicalId(stack.alerting.key), 'alert-key'],
  ];
  const fn = stack.stageFunctions.of(stage);
  const roleId = logicalId(fn.role);
  const logGroup = logicalId(fn.logGroup);
  const place = (resource: unknown): string => {
    const text = JSON.stringify(resource);
    if (text.includes(`"${logGroup}"`)) return 'logs';
    const glue: [string, string][] = [[':catalog', 'glue-catalog'], [':database/', 'glue-database'], [':table/', 'glue-table'], [':crawler/', 'crawler'], [':workgroup/', 'workgroup'], [':transform-job/', 'transform-job']];
    const service = glue.find(([fragment]) => text.includes(fragment));
    if (service) return service[1];
    const found = named.find(([id]) => text.includes(`"${id}"`));
    if (!found) return `unknown ${text}`;
    if (/"\/index\//.test(text)) return `${found[1]} index`;
    return /"\/[^"]*\*"/.test(text) ? `${found[1]} objects` : found[1];
  };
  const statements = entries
    .filter(([, r]) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  const out = statements.flatMap((s) => {
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
    const targets = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
    return actions.flatMap((a) => targets.map((r) => `${a} @ ${place(r)}`));
  });
  return [...new Set(out)].filter((g) => !g.startsWith('sqs:')).sort();
}
