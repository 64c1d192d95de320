import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { batchTriggerRules, ruleTable, serviceForwardingPattern } from '../../../../events/rules';
import { StageId } from '../../../../events/stage-ids';
import type { TopologyNames } from '../../../../events/topology-names';
import { PipelineBus } from '../../../../infra/aws/constructs/pipeline-bus';
import { DELIVERY_BATCH_SIZE } from '../../../../infra/aws/constructs/rule-delivery-queue';
import { deliveryQueueName, DeliveryEnvName, readDeliveryEnv } from '../../../../infra/aws/lambda/delivery-routes';

type Resource = { Type: string; Properties: Record<string, unknown> };
type GetAtt = { 'Fn::GetAtt': [string, string] };

/** A CloudFormation value with every GetAtt written as `<logical id>.<attribute>` (and Fn::Join joined), to read it as text. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  const getAtt = Reflect.get(value, 'Fn::GetAtt') as GetAtt['Fn::GetAtt'] | undefined;
  if (getAtt !== undefined) return `${getAtt[0]}.${getAtt[1]}`;
  const join = Reflect.get(value, 'Fn::Join') as [string, unknown[]] | undefined;
  if (join !== undefined) return join[1].map(render).join(join[0]);
  return JSON.stringify(value);
}

/**
 * The synthesized wiring of a rule's retry policy on AWS (expectations from the rule table): each rule
 * targets its own SQS queue (EventBridge's retry policy covers that hop), which the stage function
 * consumes with `ReportBatchItemFailures`, with the queue's redrive into the rule's DLQ, and the function
 * told each queue's rule, policy and DLQ; the IAM lets the function consume its queues and write its DLQs.
 */
describe('PipelineBus: every rule delivers through its own queue to its stage', () => {
  const names: TopologyNames = { busName: 'trib', rawBucket: 'trib-raw', resourcePrefix: 'trib', athenaWorkgroup: 'trib' };
  const rows = ruleTable(names);
  const triggers = batchTriggerRules(names, [{ name: 'hourly', trigger: { schedule: 'rate(1 hour)' } }]);
  const stack = new Stack(new App(), 'Probe');
  const functions = new Map(
    Object.values(StageId).map((stage) => [stage, new lambda.Function(stack, `Fn-${stage}`, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', timeout: Duration.minutes(5), code: lambda.Code.fromInline('exports.handler = async () => {}') })]),
  );
  const fnOf = (stage: StageId): lambda.Function => functions.get(stage) ?? (() => { throw new Error(stage); })();
  const bus = new PipelineBus(stack, 'Events', { prefix: 'trib', busName: 'trib', rows, forwardingPattern: serviceForwardingPattern(names), archivePattern: { source: ['tributary.pipeline'] }, archiveRetentionDays: 1, functionOf: fnOf, batchTriggers: triggers });
  const template = Template.fromStack(stack);
  const resources = Object.entries((template.toJSON() as { Resources: Record<string, Resource> }).Resources);
  const ofType = (type: string): [string, Resource][] => resources.filter(([, r]) => r.Type === type);
  const idOf = (construct: { node: { defaultChild?: unknown } } | lambda.Function): string => stack.getLogicalId((construct.node.defaultChild ?? construct.node.defaultChild) as never);
  const queueIdNamed = (name: string): string => ofType('AWS::SQS::Queue').find(([, q]) => q.Properties.QueueName === name)?.[0] ?? `no queue ${name}`;
  const created = [...bus.rules, ...bus.schedules];
  const policyOf = (id: string) => rows.find((r) => r.id === id)?.retryPolicy ?? { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 300 };
  const dlqOf = (id: string): string => rows.find((r) => r.id === id)?.deadLetterQueue ?? triggers.find((t) => t.id === id)?.deadLetterQueue ?? `trib-${id}-dlq`;
  const stageOf = (id: string): StageId => rows.find((r) => r.id === id)?.target ?? (id === 'watchdog-schedule' ? StageId.Watchdog : StageId.CrawlBatch);

  it("targets each rule's own delivery queue, with the rule's retry policy for that hop and its DLQ", () => {
    expect(created).toHaveLength(rows.length + 1 + triggers.length);
    for (const c of created) {
      const [, rule] = ofType('AWS::Events::Rule').find(([id]) => id === idOf({ node: { defaultChild: c.rule } })) ?? ['', { Properties: {} } as Resource];
      const policy = policyOf(c.id);
      expect(rule.Properties.Targets).toEqual([
        {
          Id: stageOf(c.id),
          Arn: { 'Fn::GetAtt': [queueIdNamed(deliveryQueueName(c.ruleName)), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: policy.maximumRetryAttempts, MaximumEventAgeInSeconds: policy.maximumEventAgeInSeconds },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueIdNamed(dlqOf(c.id)), 'Arn'] } },
        },
      ]);
    }
  });

  it("redrives each delivery queue into the rule's DLQ after its last attempt, and hides crashed attempts 6 × the function timeout", () => {
    for (const c of created) {
      const dlqId = queueIdNamed(dlqOf(c.id));
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: deliveryQueueName(c.ruleName),
        SqsManagedSseEnabled: true,
        VisibilityTimeout: 1800,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: policyOf(c.id).maximumRetryAttempts + 1 },
      });
    }
  });

  it('has each stage function consume its queues with ReportBatchItemFailures, and no rule invoke a function', () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping').map(([, m]) => m.Properties);
    expect(mappings).toHaveLength(created.length);
    for (const c of created) {
      expect(mappings.filter((m) => JSON.stringify(m.EventSourceArn) === JSON.stringify({ 'Fn::GetAtt': [queueIdNamed(deliveryQueueName(c.ruleName)), 'Arn'] }))).toEqual([
        { EventSourceArn: expect.anything(), FunctionName: { Ref: idOf(fnOf(stageOf(c.id))) }, BatchSize: DELIVERY_BATCH_SIZE, FunctionResponseTypes: ['ReportBatchItemFailures'] },
      ]);
    }
    expect(ofType('AWS::Lambda::Permission')).toEqual([]);
  });

  it("tells each function every one of its queues' rule, retry policy and DLQ, in the form its entry reads", () => {
    for (const stage of Object.values(StageId)) {
      const mine = created.filter((c) => stageOf(c.id) === stage);
      const [, fn] = ofType('AWS::Lambda::Function').find(([id]) => id === idOf(fnOf(stage))) ?? ['', { Properties: {} } as Resource];
      const text = render((fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.[DeliveryEnvName.Routes] ?? '{}');
      const routes = readDeliveryEnv({ [DeliveryEnvName.Routes]: text }).routes;
      expect([...routes.keys()].sort()).toEqual(mine.map((c) => deliveryQueueName(c.ruleName)).sort());
      for (const c of mine) {
        expect(routes.get(deliveryQueueName(c.ruleName))).toEqual({ ruleArn: `${idOf({ node: { defaultChild: c.rule } })}.Arn`, retryPolicy: policyOf(c.id), deadLetterQueue: dlqOf(c.id) });
      }
    }
  });

  it('lets a function receive, delay and delete on its queues and send to their DLQs; lets EventBridge send only for its rule', () => {
    const policies = ofType('AWS::IAM::Policy').map(([, p]) => p.Properties);
    const queuePolicies = ofType('AWS::SQS::QueuePolicy').map(([, p]) => p.Properties);
    for (const c of created) {
      const fnRole = JSON.stringify((ofType('AWS::Lambda::Function').find(([id]) => id === idOf(fnOf(stageOf(c.id))))?.[1].Properties.Role as GetAtt)['Fn::GetAtt'][0]);
      const statements = policies.filter((p) => JSON.stringify(p.Roles).includes(fnRole)).flatMap((p) => (p.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement);
      const actionsOn = (queueName: string): string[] => statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify({ 'Fn::GetAtt': [queueIdNamed(queueName), 'Arn'] })).flatMap((s) => [s.Action].flat());
      expect(actionsOn(deliveryQueueName(c.ruleName))).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueUrl']));
      expect(actionsOn(dlqOf(c.id))).toEqual(expect.arrayContaining(['sqs:SendMessage', 'sqs:GetQueueUrl']));
      const ruleArn = { 'Fn::GetAtt': [idOf({ node: { defaultChild: c.rule } }), 'Arn'] };
      for (const queue of [deliveryQueueName(c.ruleName), dlqOf(c.id)]) {
        const policy = queuePolicies.find((p) => JSON.stringify(p.Queues) === JSON.stringify([{ Ref: queueIdNamed(queue) }]));
        expect((policy?.PolicyDocument as { Statement: unknown[] }).Statement).toContainEqual(
          expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } } }),
        );
      }
    }
  });
});
