import * as path from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { stages } from '../../../handlers/stages';
import { SqsDeliveryQueues } from '../adapters/sqs-delivery-queues';
import { awsStageDeps } from './aws-stage-deps';
import { readDeliveryEnv } from './delivery-routes';
import { readRuntimeEnv, RuntimeEnvName } from './runtime-env';
import { processStageBatch, type BatchResponse } from './sqs-stage-batch';

/**
 * The one Lambda entry of every stage function: the stack sets `TRIBUTARY_STAGE`, this picks that
 * stage from the registry and runs it with the AWS composition root's deps — the same stage code the
 * embedded default runs in-process. Every rule delivers to its own SQS queue, which this function
 * consumes (`ReportBatchItemFailures`): a message the stage fails on is retried or dead-lettered by its
 * rule's retry policy exactly as the local bus does (see {@link processStageBatch}). Configuration is
 * read once per container; a bad one fails the init loudly.
 */
const env = readRuntimeEnv(process.env);
const delivery = readDeliveryEnv(process.env);
const deps = awsStageDeps(env, undefined, path.join(__dirname, 'sql'));
const stage = stages[env[RuntimeEnvName.Stage]];
const queues = new SqsDeliveryQueues(new SQSClient({}));

/** Runs the configured stage on each event of an SQS batch; answers the messages to keep for a later attempt. */
export function handler(event: unknown): Promise<BatchResponse> {
  return processStageBatch(event, { run: (e) => stage(e, deps), routes: delivery.routes, backoff: delivery.backoff, queues, now: Date.now, random: Math.random });
}
