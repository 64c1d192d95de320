import { readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { forecastModelName } from '../../../handlers/forecast-model/model-name';
import type { CfnElement } from 'aws-cdk-lib';
import { ruleTable, SCHEDULED_STAGES, serviceForwardingPattern } from '../../../events/rules';
import { StageId } from '../../../events/stage-ids';
import { IdempotencyTableSchema, RunTableSchema } from '../../../infra/dynamodb/tables';
import { archivePattern } from '../../../infra/aws/archive-pattern';
import { crawlerSpecs } from '../../../infra/aws/crawler-specs';
import { readDatasetManifests } from '../../../infra/aws/dataset-manifests';
import { DeliveryEnvName } from '../../../infra/aws/lambda/delivery-routes';
import { RuntimeEnvName } from '../../../infra/aws/lambda/runtime-env';
import { buildStack, repositoryRoot } from './synth-stack';
import { grantsOf, implied } from './stage-grants';
import { stageDefinitions } from '../../../handlers/stages';
import { CRAWLER_CONFIGURATION, CRAWLER_SCHEMA_CHANGE_POLICY } from '../../../handlers/stage-kit/crawler-configuration';

type Resource = { Type: string; Properties: Record<string, unknown> };

/** Everything the assertions compare comes from the sources; logical ids are looked up, never written down. */
describe('TributaryStack template', () => {
  const { app, stack, config } = buildStack({ archiveRetentionDays: 45 });
  const template = Template.fromStack(stack);
  const json = template.toJSON() as { Resources: Record<string, Resource> };
  const resources = Object.entries(json.Resources);
  const ofType = (type: string): [string, Resource][] => resources.filter(([, r]) => r.Type === type);
  const resolve = (value: unknown): unknown => JSON.parse(JSON.stringify(stack.resolve(value)));
  const logicalId = (construct: { node: { defaultChild?: unknown } }): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const ref = (id: string) => ({ Ref: id });
  const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
  const rules = ofType('AWS::Events::Rule');
  const rows = ruleTable(stack.names);
  const fnId = (stage: StageId): string => logicalId(stack.stageFunctions.of(stage));
  /** The function a rule's target reaches: the consumer of the SQS queue it delivers to (event source mapping). */
  const consumerOf = (rule: Resource): unknown => {
    const arn = JSON.stringify((rule.Properties.Targets as { Arn: unknown }[])[0]?.Arn);
    return ofType('AWS::Lambda::EventSourceMapping').find(([, m]) => JSON.stringify(m.Properties.EventSourceArn) === arn)?.[1].Properties.FunctionName;
  };
  afterAll(() => rmSync(app.outdir, { recursive: true, force: true }));

  it('builds the rule table for the names of the resources it creates', () => {
    expect(stack.rows).toEqual(rows);
    expect(resolve(stack.names.rawBucket)).toEqual(ref(logicalId(stack.lake.raw)));
  });

  it('has exactly one rule per row of the rule table, with exactly its pattern, on our bus, delivering to its stage (through its queue)', () => {
    const busName = resolve(stack.pipeline.bus.eventBusName);
    for (const row of rows) {
      const matching = rules.filter(([, r]) => JSON.stringify(r.Properties.EventPattern) === JSON.stringify(resolve(row.pattern)) && JSON.stringify(consumerOf(r)) === JSON.stringify(ref(fnId(row.target))));
      expect({ row: row.id, count: matching.length }).toEqual({ row: row.id, count: 1 });
      const [, rule] = matching[0] ?? ['', { Type: '', Properties: {} } as Resource];
      expect(rule.Properties).toMatchObject({ Description: row.description, EventBusName: busName, State: 'ENABLED' });
      expect(rule.Properties.Targets).toHaveLength(1);
    }
    const onOurBus = rules.filter(([, r]) => JSON.stringify(r.Properties.EventBusName) === JSON.stringify(busName));
    expect(onOurBus).toHaveLength(rows.length);
  });

  it('starts each scheduled stage (the watchdog) from a schedule rule on the default bus, and nothing else', () => {
    for (const stage of Object.values(StageId)) {
      const schedule = SCHEDULED_STAGES[stage];
      if (schedule === undefined) continue;
      const scheduled = rules.filter(([, r]) => r.Properties.ScheduleExpression !== undefined && JSON.stringify(consumerOf(r)) === JSON.stringify(ref(fnId(stage))));
      expect(scheduled.map(([, r]) => r.Properties.ScheduleExpression)).toEqual([schedule]);
      expect(scheduled[0]?.[1].Properties.EventBusName).toBeUndefined();
      expect((scheduled[0]?.[1].Properties.Targets as Record<string, unknown>[])[0]).toMatchObject({ RetryPolicy: { MaximumRetryAttempts: 0 }, DeadLetterConfig: expect.anything() });
    }
    expect(rules.filter(([, r]) => r.Properties.ScheduleExpression !== undefined)).toHaveLength(Object.keys(SCHEDULED_STAGES).length);
  });

  it("gives every row's target the row's retry policy and its own dead-letter queue, named as the row says", () => {
    const queues = new Map(ofType('AWS::SQS::Queue').map(([id, q]) => [id, q]));
    for (const created of stack.pipeline.rules) {
      const row = rows.find((r) => r.id === created.id);
      const [, rule] = rules.find(([id]) => id === logicalId({ node: { defaultChild: created.rule } })) ?? ['', { Type: '', Properties: {} } as Resource];
      const target = (rule.Properties.Targets as Record<string, unknown>[])[0];
      expect(target?.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: row?.retryPolicy.maximumEventAgeInSeconds, MaximumRetryAttempts: row?.retryPolicy.maximumRetryAttempts });
      const dlqId = ((target?.DeadLetterConfig as { Arn: { 'Fn::GetAtt': [string, string] } }).Arn)['Fn::GetAtt'][0];
      expect(queues.get(dlqId)?.Properties.QueueName).toBe(row?.deadLetterQueue);
    }
  });

  it('gives every rule target, the forwarding rule included, a retry policy and a dead-letter config', () => {
    expect(rules.length).toBe(rows.length + 1 + Object.keys(SCHEDULED_STAGES).length);
    for (const [, rule] of rules) {
      for (const target of rule.Properties.Targets as Record<string, unknown>[]) {
        expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: expect.any(Number), MaximumRetryAttempts: expect.any(Number) });
        expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } });
      }
    }
  });

  it('forwards from the default bus only the service events the table consumes, to our bus', () => {
    const forwarding = rules.filter(([, r]) => r.Properties.EventBusName === 'default');
    expect(forwarding).toHaveLength(1);
    const [, rule] = forwarding[0] ?? ['', { Type: '', Properties: {} } as Resource];
    expect(rule.Properties.EventPattern).toEqual(resolve(serviceForwardingPattern(stack.names)));
    expect((rule.Properties.Targets as { Arn: unknown }[])[0]?.Arn).toEqual(arnOf(logicalId(stack.pipeline.bus)));
  });

  it('alarms on the depth of every dead-letter queue, acting on the alert topic', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const topic = ref(logicalId(stack.alerting.topic));
    // Every queue but the raw crawlers' S3 event queues (consumed by Glue) and the rules' delivery queues (consumed by the stages): not dead letters.
    const queues = ofType('AWS::SQS::Queue').filter(([, q]) => !String(q.Properties.QueueName).endsWith('-raw-events') && !String(q.Properties.QueueName).endsWith('-deliveries'));
    expect(queues).toHaveLength(rows.length + 1 + Object.keys(SCHEDULED_STAGES).length);
    for (const [queueId] of queues) {
      const mine = alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }]));
      expect({ queueId, alarms: mine.length }).toEqual({ queueId, alarms: 1 });
      expect(mine[0]?.AlarmActions).toEqual([topic]);
      expect(mine[0]).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    }
  });

  it('alarms on StageFailed events (the matched events of the StageFailed rule) and on every stage function error', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const topic = ref(logicalId(stack.alerting.topic));
    const stageFailedRow = rows.find((r) => r.target === StageId.Alert);
    const matched = alarms.filter((a) => a.MetricName === 'MatchedEvents' && a.Namespace === 'AWS/Events');
    expect(matched).toHaveLength(1);
    expect(matched[0]?.Dimensions).toEqual(expect.arrayContaining([{ Name: 'RuleName', Value: `${config.prefix}-${stageFailedRow?.id}` }]));
    expect(matched[0]?.AlarmActions).toEqual([topic]);
    for (const stage of Object.values(StageId)) {
      const errors = alarms.filter((a) => a.MetricName === 'Errors' && JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: ref(fnId(stage)) }]));
      expect({ stage, alarms: errors.length, actions: errors[0]?.AlarmActions }).toEqual({ stage, alarms: 1, actions: [topic] });
    }
  });

  it('archives our bus with the domain + forwarded service pattern and the retention from context', () => {
    template.resourceCountIs('AWS::Events::Archive', 1);
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: arnOf(logicalId(stack.pipeline.bus)),
      EventPattern: resolve(archivePattern(stack.names)),
      RetentionDays: 45,
    });
  });

  it('runs one function per stage: Node.js 22 on arm64, told its stage id and the lake names', () => {
    for (const stage of Object.values(StageId)) {
      const fn = json.Resources[fnId(stage)];
      expect(fn?.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
      const variables = (fn?.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables[RuntimeEnvName.Stage]).toBe(stage);
      expect(variables[RuntimeEnvName.RawBucket]).toEqual(ref(logicalId(stack.lake.raw)));
      // The routes of a stage's queues: every stage but one no rule of this stack delivers to (crawl-batch, without batch-triggered datasets).
      expect(Object.keys(variables).sort()).toEqual([...Object.values(RuntimeEnvName), ...(stack.pipeline.rules.concat(stack.pipeline.schedules).some((r) => r.deliveryQueue !== undefined && JSON.stringify(consumerOf(json.Resources[logicalId({ node: { defaultChild: r.rule } })] ?? { Type: '', Properties: {} })) === JSON.stringify(ref(fnId(stage)))) ? [DeliveryEnvName.Routes] : []), 'NODE_OPTIONS'].sort());
    }
  });

  it.each(Object.values(StageId))('grants stage %s exactly what its declared needs imply, and nothing more', (stage) => {
    expect(grantsOf(stack, json.Resources, stage)).toEqual(implied(stageDefinitions[stage].needs));
  });

  it('grants the forecast stage no crawler start and no raw-zone access, and Athena only to the stages that declare a query', () => {
    expect(grantsOf(stack, json.Resources, StageId.Forecast).filter((g) => g.startsWith('glue:StartCrawler') || g.includes('@ raw'))).toEqual([]);
    const querying = Object.values(StageId).filter((s) => grantsOf(stack, json.Resources, s).some((g) => g.startsWith('athena:')));
    expect(querying.sort()).toEqual(Object.values(StageId).filter((s) => stageDefinitions[s].needs.query !== undefined).sort());
  });

  it('keeps run state in on-demand tables with PITR, keyed as infra/dynamodb defines them, idempotency records expiring by TTL', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      KeySchema: [{ AttributeName: RunTableSchema.partitionKey, KeyType: 'HASH' }, { AttributeName: RunTableSchema.sortKey, KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [{ IndexName: RunTableSchema.runsIndex, KeySchema: [{ AttributeName: RunTableSchema.runsIndexPartitionKey, KeyType: 'HASH' }, { AttributeName: RunTableSchema.runsIndexSortKey, KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      KeySchema: [{ AttributeName: IdempotencyTableSchema.partitionKey, KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: IdempotencyTableSchema.ttlAttribute, Enabled: true },
    });
  });

  it('creates one crawler per dataset and zone, named as the stages name them, with explicit policies', () => {
    const specs = crawlerSpecs(stack.topology, readDatasetManifests(path.join(repositoryRoot, 'sql')));
    const crawlers = ofType('AWS::Glue::Crawler').map(([, c]) => c.Properties);
    expect(crawlers.map((c) => c.Name).sort()).toEqual(specs.map((s) => s.name).sort());
    for (const spec of specs) {
      expect(crawlers.find((c) => c.Name === spec.name)).toMatchObject({
        DatabaseName: spec.database,
        SchemaChangePolicy: CRAWLER_SCHEMA_CHANGE_POLICY,
        RecrawlPolicy: { RecrawlBehavior: spec.zone === 'raw' ? 'CRAWL_EVENT_MODE' : 'CRAWL_EVERYTHING' },
        Configuration: CRAWLER_CONFIGURATION,
        CrawlerSecurityConfiguration: expect.anything(),
      });
    }
    expect(ofType('AWS::Glue::Database').map(([, d]) => (d.Properties.DatabaseInput as { Name: string }).Name).sort()).toEqual([...new Set(specs.map((s) => s.database))].sort());
    const crawlerRole = crawlers[0]?.Role as { 'Fn::GetAtt': [string, string] };
    const crawlerActions = ofType('AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([ref(crawlerRole['Fn::GetAtt'][0])]))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement)
      .flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]));
    // UPDATE_IN_DATABASE + MergeNewColumns updates tables; DELETE_FROM_DATABASE deletes partitions and tables.
    expect(crawlerActions).toEqual(expect.arrayContaining(['glue:CreateTable', 'glue:UpdateTable', 'glue:DeleteTable', 'glue:BatchDeleteTable', 'glue:BatchCreatePartition', 'glue:BatchUpdatePartition', 'glue:BatchDeletePartition']));
  });

  it('runs each raw crawler in S3 event mode on a queue of its prefix\'s object events, which its role may consume', () => {
    const specs = crawlerSpecs(stack.topology, readDatasetManifests(path.join(repositoryRoot, 'sql'))).filter((s) => s.zone === 'raw');
    expect(specs.length).toBeGreaterThan(0);
    const notifications = ofType('Custom::S3BucketNotifications').map(([, n]) => n.Properties);
    const rawNotifications = notifications.find((n) => JSON.stringify(n.BucketName) === JSON.stringify(resolve(stack.lake.raw.bucketName)));
    const config = rawNotifications?.NotificationConfiguration as { EventBridgeConfiguration?: unknown; QueueConfigurations?: { Events: string[]; QueueArn: unknown; Filter: unknown }[] };
    // The bucket still sends every event to EventBridge (how a run starts).
    expect(config.EventBridgeConfiguration).toEqual({});
    const crawlerPolicies = ofType('AWS::IAM::Policy').flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement);
    for (const spec of specs) {
      const crawler = ofType('AWS::Glue::Crawler').map(([, c]) => c.Properties).find((c) => c.Name === spec.name);
      const [target] = (crawler?.Targets as { S3Targets: { EventQueueArn?: { 'Fn::GetAtt': [string, string] } }[] }).S3Targets;
      const queueId = target?.EventQueueArn?.['Fn::GetAtt'][0] ?? '';
      expect(json.Resources[queueId]).toMatchObject({ Type: 'AWS::SQS::Queue', Properties: { QueueName: `${spec.name}-events`, SqsManagedSseEnabled: true } });
      const forQueue = (config.QueueConfigurations ?? []).filter((q) => JSON.stringify(q.QueueArn) === JSON.stringify(arnOf(queueId)));
      expect(forQueue.flatMap((q) => q.Events).sort()).toEqual(['s3:ObjectCreated:*', 's3:ObjectRemoved:*']);
      for (const q of forQueue) expect(spec.keyPrefixes.map((prefix) => ({ Key: { FilterRules: [{ Name: 'prefix', Value: prefix }] } }))).toContainEqual(q.Filter);
      const queuePolicy = ofType('AWS::SQS::QueuePolicy').find(([, p]) => JSON.stringify(p.Properties.Queues) === JSON.stringify([ref(queueId)]))?.[1];
      expect(JSON.stringify(queuePolicy?.Properties.PolicyDocument)).toContain('s3.amazonaws.com');
      const consume = crawlerPolicies.filter((st) => JSON.stringify(st.Resource) === JSON.stringify(arnOf(queueId))).flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]));
      expect(consume).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:PurgeQueue']));
    }
  });

  it('runs queries only in enforced workgroups with a result location and a bytes-scanned cutoff', () => {
    const workgroups = ofType('AWS::Athena::WorkGroup').map(([, w]) => w.Properties);
    expect(workgroups.map((w) => w.Name).sort()).toEqual([stack.names.athenaWorkgroup, stack.topology.readWorkgroup].sort());
    for (const w of workgroups) {
      expect(w.WorkGroupConfiguration).toMatchObject({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: config.bytesScannedCutoffMb * 1024 * 1024,
        ResultConfiguration: { OutputLocation: expect.anything(), EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } },
      });
    }
  });

  it('encrypts every bucket, blocks public access, refuses plain HTTP, and sends raw-bucket events to EventBridge', () => {
    const buckets = ofType('AWS::S3::Bucket');
    expect(buckets).toHaveLength(6);
    for (const [id, b] of buckets) {
      expect(b.Properties.BucketEncryption).toBeDefined();
      expect(b.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      const policy = ofType('AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify(ref(id)));
      expect(JSON.stringify(policy?.[1].Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    }
    template.hasResourceProperties('Custom::S3BucketNotifications', { BucketName: ref(logicalId(stack.lake.raw)), NotificationConfiguration: { EventBridgeConfiguration: {} } });
  });

  it('registers the JSON Schema of every domain event, byte for byte as committed', () => {
    const dir = path.join(repositoryRoot, 'contracts', 'json-schema');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    const schemas = ofType('AWS::EventSchemas::Schema').map(([, s]) => s.Properties);
    expect(schemas).toHaveLength(files.length);
    for (const file of files) expect(schemas.some((s) => s.Type === 'JSONSchemaDraft4' && s.Content === readFileSync(path.join(dir, file), 'utf8'))).toBe(true);
  });

  it('serves the forecast model from the container image asset of infra/sagemaker-container, named by CloudFormation so a new image can replace it', () => {
    const models = ofType('AWS::SageMaker::Model');
    const wanted = readDatasetManifests(path.join(repositoryRoot, 'sql')).flatMap((d) => (d.forecast ? [forecastModelName(d.name)] : []));
    expect(models).toHaveLength(wanted.length);
    for (const [, model] of models) expect(model.Properties.ModelName).toBeUndefined();
    const env = (json.Resources[fnId(StageId.Forecast)]?.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables;
    const modelNames = JSON.stringify(env[RuntimeEnvName.ModelNames]);
    for (const [id] of models) expect(modelNames).toContain(JSON.stringify({ 'Fn::GetAtt': [id, 'ModelName'] }));
    const manifest = JSON.parse(readFileSync(path.join(app.outdir, `${stack.artifactId}.assets.json`), 'utf8')) as { dockerImages: Record<string, { source: { directory: string; dockerFile: string } }> };
    const images = Object.values(manifest.dockerImages);
    expect(images.map((i) => i.source.dockerFile)).toEqual(['Dockerfile']);
    // Only the esbuild bundle of the inference code and the model reach the image: no node_modules.
    const staged = path.join(app.outdir, images[0]?.source.directory ?? '');
    expect(readdirSync(staged).sort()).toEqual(['Dockerfile', 'main.js', 'model']);
  });

  it('bundles the stage entry with esbuild, class names kept (they travel in StageFailed), the datasets beside it', () => {
    const manifest = JSON.parse(readFileSync(path.join(app.outdir, `${stack.artifactId}.assets.json`), 'utf8')) as { files: Record<string, { source: { path: string } }> };
    const bundles = Object.values(manifest.files).map((f) => path.join(app.outdir, f.source.path)).filter((dir) => dir.includes('asset.') && readdirSync(dir).includes('index.js'));
    expect(bundles).toHaveLength(1);
    const code = readFileSync(path.join(bundles[0] ?? '', 'index.js'), 'utf8');
    expect(code).toContain('ContractViolationError');
    expect(code).not.toMatch(/@duckdb\/node-api/);
    expect(readdirSync(path.join(bundles[0] ?? '', 'sql'))).toEqual(readDatasetManifests(path.join(repositoryRoot, 'sql')).map((d) => d.name));
  });

  it('has one dashboard, and one KMS-encrypted alert topic mailing the address from context', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: arnOf(logicalId(stack.alerting.key)) });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: config.alertEmail });
  });
});
