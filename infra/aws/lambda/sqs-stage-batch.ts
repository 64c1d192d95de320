import { SqsSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import type { z } from 'zod';
import { decideRetry, StageErrorCode, stageFailure, type Backoff } from '../../../events/retry-policy';
import type { DEAD_LETTER_ATTRIBUTES } from '../adapters/sqs-dead-letters';
import type { DeliveryRoute } from './delivery-routes';

/** The message attributes of a dead letter, EventBridge's names (what `tributary dlq --aws` reads). */
export type DeadLetterAttributes = Readonly<Record<(typeof DEAD_LETTER_ATTRIBUTES)[number], string>>;

/** What a stage function does with a rule's queue: hide a message until its next attempt, or dead-letter it. */
export interface DeliveryQueues {
  /** Makes a received message of the queue `queueArn` visible again in `seconds` (its next attempt). */
  delay(queueArn: string, receiptHandle: string, seconds: number): Promise<void>;
  /** Sends `body` to the dead-letter queue named `queue` (same account as `sourceQueueArn`) with the error attributes. */
  deadLetter(queue: string, sourceQueueArn: string, body: string, attributes: DeadLetterAttributes): Promise<void>;
}

/** The Lambda answer to an SQS event source mapping with `ReportBatchItemFailures`: the messages to keep. */
export interface BatchResponse {
  readonly batchItemFailures: { readonly itemIdentifier: string }[];
}

/** What a batch is processed with. */
export interface StageBatchDeps {
  /** The stage, run on one event. */
  readonly run: (event: unknown) => Promise<void>;
  readonly routes: ReadonlyMap<string, DeliveryRoute>;
  readonly backoff: Backoff;
  readonly queues: DeliveryQueues;
  readonly now: () => number;
  readonly random: () => number;
}

type SqsRecord = z.infer<typeof SqsSchema>['Records'][number];

/** SQS's longest visibility timeout (12 hours). */
const MAX_VISIBILITY_SECONDS = 43_200;

/** The queue name at the end of an SQS queue ARN. */
function queueNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}

/**
 * Runs a stage on each message of an SQS batch and applies the message's rule retry policy exactly as
 * the local bus does ({@link decideRetry}): the attempt number is SQS's `ApproximateReceiveCount`, the
 * age counts from the message's `SentTimestamp` (when the rule, or a redrive, delivered it to the
 * queue: the local bus counts from its own ingestion). A failure to retry is hidden for its backoff
 * (`ChangeMessageVisibility`) and reported as a batch item failure, so SQS delivers it again then; an
 * exhausted one is sent to the rule's DLQ with EventBridge's attributes (the body unchanged) and then
 * deleted like a success. A message that cannot be delayed or dead-lettered stays in the queue (its
 * queue's redrive policy is the last resort): nothing is lost.
 */
export async function processStageBatch(event: unknown, deps: StageBatchDeps): Promise<BatchResponse> {
  const parsed = SqsSchema.safeParse(event);
  if (!parsed.success) throw new Error(`stage function misconfigured: it received something other than an SQS batch (${parsed.error.issues[0]?.message ?? 'invalid'}); only its rules' queues may invoke it`);
  const failed = await Promise.all(parsed.data.Records.map((record) => processRecord(record, deps)));
  return { batchItemFailures: parsed.data.Records.filter((_, i) => failed[i] === true).map((r) => ({ itemIdentifier: r.messageId })) };
}

/** Handles one message; resolves true when it must stay in the queue (a batch item failure). */
async function processRecord(record: SqsRecord, deps: StageBatchDeps): Promise<boolean> {
  const route = deps.routes.get(queueNameOf(record.eventSourceARN));
  if (route === undefined) {
    console.error(`stage function misconfigured: no retry policy for queue ${record.eventSourceARN}; message ${record.messageId} stays in it`);
    return true;
  }
  const outcome = await runOn(record.body, deps);
  if (outcome === undefined) return false;
  const attempts = Math.max(1, Number(record.attributes.ApproximateReceiveCount) || 1);
  const sent = Number(record.attributes.SentTimestamp);
  const decision = decideRetry(route.retryPolicy, deps.backoff, { attempts, retryable: outcome.retryable, ageStartMs: Number.isFinite(sent) ? sent : deps.now(), nowMs: deps.now(), random: deps.random() });
  try {
    if (decision.retry) {
      await deps.queues.delay(record.eventSourceARN, record.receiptHandle, Math.min(MAX_VISIBILITY_SECONDS, Math.ceil(decision.delayMs / 1000)));
      return true;
    }
    await deps.queues.deadLetter(route.deadLetterQueue, record.eventSourceARN, record.body, {
      RULE_ARN: route.ruleArn,
      TARGET_ARN: record.eventSourceARN,
      ERROR_CODE: outcome.code,
      ERROR_MESSAGE: outcome.message,
      EXHAUSTED_RETRY_CONDITION: decision.condition,
      RETRY_ATTEMPTS: String(attempts - 1),
    });
    return false;
  } catch (error) {
    console.error(`message ${record.messageId} of ${record.eventSourceARN} stays in its queue: ${error instanceof Error ? error.message : String(error)}`);
    return true;
  }
}

/** Runs the stage on a message body; undefined when it succeeded, else how it failed. */
async function runOn(body: string, deps: StageBatchDeps): Promise<ReturnType<typeof stageFailure> | undefined> {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return { retryable: false, code: StageErrorCode.PoisonEvent, message: 'SyntaxError: the message body is not JSON (a rule delivers the event as JSON)' };
  }
  try {
    await deps.run(event);
    return undefined;
  } catch (error) {
    return stageFailure(error);
  }
}
