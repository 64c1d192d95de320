import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { CreatedRule } from './pipeline-bus';

/** The alert topic's settings: its name and, optionally, the address that gets the mail. */
export interface AlertingProps {
  readonly topicName: string;
  readonly alertEmail?: string;
}

/**
 * Where failures become mail: a KMS-encrypted SNS topic (the key lets CloudWatch alarms publish), an
 * email subscription from context `alertEmail`, and alarm helpers that all act on that topic — a DLQ
 * that holds any message, a StageFailed event matched by its rule, a stage function's errors.
 */
export class Alerting extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;
  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, props: AlertingProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'TopicKey', { enableKeyRotation: true, description: 'Encrypts the Tributary alert topic' });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', { topicName: props.topicName, displayName: 'Tributary alerts', masterKey: this.key, enforceSSL: true });
    if (props.alertEmail !== undefined) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alertEmail));
    this.action = new actions.SnsAction(this.topic);
  }

  /** Alarms as soon as the rule's dead-letter queue holds a message: a delivery exhausted its retries. */
  alarmOnDeadLetters(rule: CreatedRule): cloudwatch.Alarm {
    return this.alarmOnQueueDepth(`DlqAlarm-${rule.id}`, rule.deadLetterQueue, `Events for rule ${rule.ruleName} exhausted their retries and wait in ${rule.deadLetterQueue.queueName}: inspect with \`tributary dlq --aws\`.`);
  }

  /** Alarms when the StageFailed rule matched any event (EventBridge's per-rule `MatchedEvents`). */
  alarmOnStageFailed(rule: CreatedRule, busName: string): cloudwatch.Alarm {
    return this.alarmOnAny('StageFailedAlarm', stageFailedMetric(rule.ruleName, busName), `A stage published StageFailed (rule ${rule.ruleName}); the alert mail names the run: \`tributary run <id> --aws\`.`);
  }

  /**
   * Alarms when a stage function reports errors: not a stage's failure (the function answers those as
   * batch item failures) but the function itself crashing, timing out or misconfigured; its batch
   * stays in its queues, comes back after their visibility timeout and ends in the rules' DLQs.
   */
  alarmOnFunctionErrors(stage: string, fn: lambda.IFunction): cloudwatch.Alarm {
    return this.alarmOnAny(`ErrorsAlarm-${stage}`, fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), `Stage function ${stage} crashed, timed out or is misconfigured (a stage's own failures are retried per message); its messages stay in their rules' queues.`);
  }

  private alarmOnQueueDepth(id: string, queue: sqs.IQueue, description: string): cloudwatch.Alarm {
    return this.alarmOnAny(id, queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }), description);
  }

  /** An alarm on the topic that fires as soon as the metric reaches 1 in one period (no data is fine). */
  private alarmOnAny(id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }
}

/** EventBridge's count of events a rule on our bus matched, per minute. */
export function stageFailedMetric(ruleName: string, busName: string): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: 'AWS/Events', metricName: 'MatchedEvents', dimensionsMap: { EventBusName: busName, RuleName: ruleName }, period: Duration.minutes(1), statistic: 'Sum' });
}
