import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { RuleRow } from '../../../events/rules';
import type { StageId } from '../../../events/stage-ids';
import { StageAsyncInvoke } from '../stage-async-invoke';
import { deadLetterQueue } from './dead-letter-queue';

/** The stage functions to give an on-failure destination, and the rule rows that set their event ages. */
export interface StageFailureQueuesProps {
  readonly prefix: string;
  readonly rows: readonly RuleRow[];
  readonly functions: ReadonlyMap<StageId, lambda.Function>;
}

/**
 * Where a stage function's failed asynchronous invocations go. EventBridge invokes the stages
 * asynchronously, so its retry policy and DLQ stop at Lambda accepting the event; a function error is
 * then retried by Lambda ({@link StageAsyncInvoke.retryAttempts} times, within the longest event age
 * of the stage's rules) and, instead of being dropped, its on-failure record (the original event as
 * `requestPayload`, the error as `responsePayload`) is sent to the stage's own queue
 * (`<prefix>-<stage>-failures`), which `tributary dlq --aws` lists and redrives like the rule DLQs.
 */
export class StageFailureQueues extends Construct {
  /** The failure queue of each stage function. */
  readonly queues: ReadonlyMap<StageId, sqs.Queue>;

  constructor(scope: Construct, id: string, props: StageFailureQueuesProps) {
    super(scope, id);
    const queues = new Map<StageId, sqs.Queue>();
    for (const [stage, fn] of props.functions) {
      const queue = deadLetterQueue(this, `Failures-${stage}`, StageAsyncInvoke.failureQueueName(props.prefix, stage), `the on-failure destination of stage function ${stage} (invocations Lambda retried and gave up on)`);
      fn.configureAsyncInvoke({
        retryAttempts: StageAsyncInvoke.retryAttempts,
        maxEventAge: Duration.seconds(StageAsyncInvoke.maxEventAgeSeconds(props.rows, stage)),
        onFailure: new destinations.SqsDestination(queue),
      });
      queues.set(stage, queue);
    }
    this.queues = queues;
  }
}
