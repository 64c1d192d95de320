import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { CreatedRule } from './pipeline-bus';

/** What the dashboard shows: the rules with their delivery queues and DLQs, the stage functions, the bus and workgroup names. */
export interface PipelineDashboardProps {
  readonly dashboardName: string;
  readonly busName: string;
  readonly workgroup: string;
  readonly rules: readonly CreatedRule[];
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
}

const minute = Duration.minutes(1);

/**
 * One CloudWatch dashboard of the pipeline, in flow order: events matched and failed per rule, stage
 * invocations, errors and duration, dead-letter depth and the oldest waiting delivery (retries in
 * backoff) per rule, and
 * Athena bytes scanned (the cost).
 */
export class PipelineDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: PipelineDashboardProps) {
    super(scope, id);
    const ruleMetric = (name: string, rule: CreatedRule, bus: string): cloudwatch.Metric =>
      new cloudwatch.Metric({ namespace: 'AWS/Events', metricName: name, dimensionsMap: { EventBusName: bus, RuleName: rule.ruleName }, period: minute, statistic: 'Sum', label: rule.id });
    const stageRules = props.rules.filter((r) => r.id !== 'forward-service-events');
    const functions = [...props.functions.entries()];
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName, defaultInterval: Duration.hours(6) });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Events matched per rule', width: 12, left: stageRules.map((r) => ruleMetric('MatchedEvents', r, props.busName)) }),
      new cloudwatch.GraphWidget({ title: 'Failed deliveries per rule', width: 12, left: stageRules.map((r) => ruleMetric('FailedInvocations', r, props.busName)) }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Stage invocations', width: 8, left: functions.map(([stage, fn]) => fn.metricInvocations({ period: minute, label: stage })) }),
      new cloudwatch.GraphWidget({ title: 'Stage errors', width: 8, left: functions.map(([stage, fn]) => fn.metricErrors({ period: minute, label: stage })) }),
      new cloudwatch.GraphWidget({ title: 'Stage duration p99 (ms)', width: 8, left: functions.map(([stage, fn]) => fn.metricDuration({ period: minute, statistic: 'p99', label: stage })) }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Dead-letter queue depth', width: 8, left: props.rules.map((r) => r.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: minute, statistic: 'Maximum', label: r.id })) }),
      new cloudwatch.GraphWidget({
        title: 'Oldest delivery waiting per rule queue (s)',
        width: 8,
        left: props.rules.flatMap((r) => (r.deliveryQueue === undefined ? [] : [r.deliveryQueue.metricApproximateAgeOfOldestMessage({ period: minute, statistic: 'Maximum', label: r.id })])),
      }),
      new cloudwatch.GraphWidget({
        title: 'Athena bytes scanned (workgroup)',
        width: 8,
        left: [new cloudwatch.Metric({ namespace: 'AWS/Athena', metricName: 'ProcessedBytes', dimensionsMap: { WorkGroup: props.workgroup }, period: Duration.minutes(5), statistic: 'Sum' })],
      }),
    );
  }
}
