import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A queue that holds what could not be delivered (a rule's dead letters, a function's failed
 * invocations): SQS-managed encryption, HTTPS only, 14 days' retention (SQS's maximum), so an alarmed
 * message waits long enough for `tributary dlq --aws` to inspect and redrive it. Such a queue is the
 * end of the line: it acknowledges cdk-nag's "no DLQ of its own" with `holds` (what it holds, and for whom).
 */
export function deadLetterQueue(scope: Construct, id: string, queueName: string, holds: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    queueName,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `${queue.node.path}: this queue is ${holds}; its messages are kept 14 days, alarmed on and redriven by \`tributary dlq --aws\`, so it needs no DLQ of its own.`,
  });
  return queue;
}
