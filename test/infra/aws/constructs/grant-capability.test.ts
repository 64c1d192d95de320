import { rmSync } from 'node:fs';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { StageId } from '../../../../events/stage-ids';
import type { Needs, Zone, ZoneAccess } from '../../../../handlers/stage-needs';
import { stageDefinitions } from '../../../../handlers/stages';
import { buildStack } from '../synth-stack';

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

function implied(needs: Needs): string[] {
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

/** Each stage role's policy, synthesised, against its declaration (handlers/<stage>.ts `needs`). */
describe('stage role grants', () => {
  const { app, stack } = buildStack();
  const json = Template.fromStack(stack).toJSON() as { Resources: Record<string, Resource> };
  const resources = Object.entries(json.Resources);
  const idsOf = (type: string): string[] => resources.filter(([, r]) => r.Type === type).map(([id]) => id);
  const logicalId = (construct: { node: { defaultChild?: unknown } }): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  afterAll(() => rmSync(app.outdir, { recursive: true, force: true }));

  const [runTable, idempotencyTable] = idsOf('AWS::DynamoDB::Table').sort((a) => (json.Resources[a]?.Properties.GlobalSecondaryIndexes ? -1 : 1));
  const named: [string, string][] = [
    ...(['raw', 'refined', 'forecast', 'quarantine', 'queryResults'] as const).map((z): [string, string] => [logicalId(stack.lake[z]), z === 'queryResults' ? 'query-results' : z]),
    [runTable ?? '', 'run-table'],
    [idempotencyTable ?? '', 'idempotency-table'],
    [logicalId(stack.pipeline.bus), 'bus'],
    [logicalId(stack.alerting.topic), 'alert-topic'],
    [logicalId(stack.alerting.key), 'alert-key'],
  ];
  const place = (resource: unknown, logGroup: string): string => {
    const text = JSON.stringify(resource);
    if (text.includes(`"${logGroup}"`)) return 'logs';
    for (const [fragment, name] of [[':catalog', 'glue-catalog'], [':database/', 'glue-database'], [':table/', 'glue-table'], [':crawler/', 'crawler'], [':workgroup/', 'workgroup'], [':transform-job/', 'transform-job']]) {
      if (fragment !== undefined && name !== undefined && text.includes(fragment)) return name;
    }
    const found = named.find(([id]) => text.includes(`"${id}"`));
    if (!found) return `unknown ${text}`;
    if (/"\/index\//.test(text)) return `${found[1]} index`;
    return /"\/[^"]*\*"/.test(text) ? `${found[1]} objects` : found[1];
  };
  const granted = (stage: StageId): string[] => {
    const fn = stack.stageFunctions.of(stage);
    const roleId = logicalId(fn.role as unknown as { node: { defaultChild?: unknown } });
    const logGroup = logicalId(fn.logGroup as unknown as { node: { defaultChild?: unknown } });
    const statements = resources
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    const out = statements.flatMap((s) => {
      const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
      const targets = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
      return actions.flatMap((a) => targets.map((r) => `${a} @ ${place(r, logGroup)}`));
    });
    // The delivery path (queue → function) is the function's own, not a port a stage declares.
    return [...new Set(out)].filter((g) => !g.startsWith('sqs:')).sort();
  };

  it.each(Object.values(StageId))("grants stage %s exactly what its declared needs imply", (stage) => {
    expect(granted(stage)).toEqual(implied(stageDefinitions[stage].needs));
  });

  it('grants the forecast stage no crawler start and no raw-zone access, and no stage but those that declare a query any Athena call', () => {
    const forecast = granted(StageId.Forecast);
    expect(forecast.filter((g) => g.startsWith('glue:StartCrawler') || g.includes('@ raw'))).toEqual([]);
    const querying = Object.values(StageId).filter((s) => granted(s).some((g) => g.startsWith('athena:')));
    expect(querying.sort()).toEqual(Object.values(StageId).filter((s) => stageDefinitions[s].needs.query !== undefined).sort());
  });
});
