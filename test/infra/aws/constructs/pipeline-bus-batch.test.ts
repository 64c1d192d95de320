import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { batchTriggerRules, ruleTable, serviceForwardingPattern } from '../../../../events/rules';
import { StageId } from '../../../../events/stage-ids';
import type { TopologyNames } from '../../../../events/topology-names';
import { PipelineBus } from '../../../../infra/aws/constructs/pipeline-bus';

describe('PipelineBus: batch triggers', () => {
  const names: TopologyNames = { busName: 'trib', rawBucket: 'trib-raw', resourcePrefix: 'trib', athenaWorkgroup: 'trib' };
  const triggers = batchTriggerRules(names, [{ name: 'hourly', trigger: { schedule: 'rate(1 hour)' } }, { name: 'plain' }, { name: 'nightly', trigger: { schedule: 'cron(0 2 * * ? *)' } }]);
  const stack = new Stack(new App(), 'Probe');
  const functions = new Map(Object.values(StageId).map((stage) => [stage, new lambda.Function(stack, `Fn-${stage}`, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') })]));
  const bus = new PipelineBus(stack, 'Events', {
    prefix: 'trib',
    busName: 'trib',
    rows: ruleTable(names),
    forwardingPattern: serviceForwardingPattern(names),
    archivePattern: { source: ['tributary.pipeline'] },
    archiveRetentionDays: 1,
    functionOf: (stage) => functions.get(stage) ?? (() => { throw new Error(stage); })(),
    batchTriggers: triggers,
  });
  const template = Template.fromStack(stack);

  it('creates one schedule rule on the default bus per batch-triggered dataset, delivering to the crawl-batch function through its own queue, with its own DLQ', () => {
    expect(triggers.map((t) => [t.ruleName, t.scheduleExpression])).toEqual([['trib-batch-hourly', 'rate(1 hour)'], ['trib-batch-nightly', 'cron(0 2 * * ? *)']]);
    const fnName = stack.resolve(functions.get(StageId.CrawlBatch)?.functionName);
    for (const t of triggers) {
      const queueArn = stack.resolve(bus.schedules.find((s) => s.id === t.id)?.deliveryQueue?.queueArn);
      template.hasResourceProperties('AWS::Events::Rule', {
        Name: t.ruleName,
        ScheduleExpression: t.scheduleExpression,
        State: 'ENABLED',
        Targets: [{ Id: StageId.CrawlBatch, Arn: queueArn, RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 300 }, DeadLetterConfig: { Arn: Match.anyValue() } }],
      });
      template.hasResourceProperties('AWS::SQS::Queue', { QueueName: t.deadLetterQueue });
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: queueArn, FunctionName: fnName, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    }
    const scheduled = Object.values(template.findResources('AWS::Events::Rule')).filter((r) => (r as { Properties: { ScheduleExpression?: string } }).Properties.ScheduleExpression !== undefined);
    expect(scheduled).toHaveLength(1 + triggers.length);
    expect(bus.schedules.map((s) => s.id)).toEqual(['watchdog-schedule', 'batch-hourly', 'batch-nightly']);
  });
});
