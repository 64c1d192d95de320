import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { CreatedRule } from './pipeline-bus';

/** What the dashboard shows: the rules with their DLQs, the stage functions with their failure queues, the bus and workgroup names. */
export interface PipelineDashboardProps {
  readonly dashboardName: string;
  readonly busName: string;
  readonly workgroup: string;
  readonly rules: readonly CreatedRule[];
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
  /** The on-failure queue of each stage function, shown beside the rule DLQs. */
  readonly failureQueues: ReadonlyMap<string, sqs.IQueue>;
}

const minute = Duration.minutes(1);

/**
 * One CloudWatch dashboard of the pipeline, in flow order: events matched and failed per rule, stage
 * invocations, errors and duration, dead-letter depth per rule and failure-queue depth per stage, and
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
      new cloudwatch.GraphWidget({
        title: 'Dead-letter and failure queue depth',
        width: 12,
        left: [
          ...props.rules.map((r) => r.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: minute, statistic: 'Maximum', label: r.id })),
          ...[...props.failureQueues].map(([stage, q]) => q.metricApproximateNumberOfMessagesVisible({ period: minute, statistic: 'Maximum', label: `${stage} (failures)` })),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Athena bytes scanned (workgroup)',
        width: 12,
        left: [new cloudwatch.Metric({ namespace: 'AWS/Athena', metricName: 'ProcessedBytes', dimensionsMap: { WorkGroup: props.workgroup }, period: Duration.minutes(5), statistic: 'Sum' })],
      }),
    );
  }
}
