import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { RetryPolicy } from '../../../events/rules';

/** How a rule reaches its stage: the queue's name, the rule's retry policy and DLQ, and the stage function. */
export interface RuleDeliveryQueueProps {
  readonly queueName: string;
  readonly retryPolicy: RetryPolicy;
  readonly deadLetterQueue: sqs.IQueue;
  readonly consumer: lambda.Function;
}

/** Messages a stage function takes per invocation; they run concurrently, each with its own outcome. */
export const DELIVERY_BATCH_SIZE = 10;

/**
 * The queue a rule delivers to instead of invoking its stage function: EventBridge's own retry policy
 * then covers only the hop into SQS, and the function (an event source mapping with
 * `ReportBatchItemFailures`) applies the rule's retry policy to the stage's failures, backing off by
 * the message's visibility and sending the exhausted ones, with EventBridge's attributes, to the
 * rule's DLQ. The queue's visibility timeout (6 × the function timeout, as Lambda advises) only paces
 * retries after a crash; its redrive policy (`maximumRetryAttempts + 1` receives, into the same DLQ,
 * without attributes) is the last resort when the function cannot dead-letter a message itself.
 */
export function ruleDeliveryQueue(scope: Construct, id: string, props: RuleDeliveryQueueProps): sqs.Queue {
  const timeout = props.consumer.timeout ?? Duration.seconds(3);
  const queue = new sqs.Queue(scope, id, {
    queueName: props.queueName,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: Duration.seconds(6 * timeout.toSeconds()),
    deadLetterQueue: { queue: props.deadLetterQueue, maxReceiveCount: props.retryPolicy.maximumRetryAttempts + 1 },
  });
  props.consumer.addEventSource(new SqsEventSource(queue, { batchSize: DELIVERY_BATCH_SIZE, reportBatchItemFailures: true }));
  props.deadLetterQueue.grantSendMessages(props.consumer);
  return queue;
}

/** Lets EventBridge send to a queue for one rule only (a rule's delivery queue, or its DLQ). */
export function allowRuleToSend(queue: sqs.IQueue, ruleArn: string): void {
  queue.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': ruleArn } },
    }),
  );
}
