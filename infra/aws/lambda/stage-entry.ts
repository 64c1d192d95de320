import * as path from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { stageDefinitions } from '../../../handlers/stages';
import { SqsDeliveryQueues } from '../adapters/sqs-delivery-queues';
import { awsStagePorts } from './aws-stage-ports';
import { readDeliveryEnv } from './delivery-routes';
import { readRuntimeEnv, RuntimeEnvName } from './runtime-env';
import { processStageBatch, type BatchResponse } from './sqs-stage-batch';

/**
 * The one Lambda entry of every stage function: the stack sets `TRIBUTARY_STAGE`, this picks that
 * stage from the registry and runs it with the ports its needs declare, built by the AWS composition
 * root — only those services' SDK clients are loaded, plus SQS for its deliveries — the same stage
 * code the embedded default runs in-process. Every rule delivers to its own SQS queue, which this
 * function consumes (`ReportBatchItemFailures`): a message the stage fails on is retried or
 * dead-lettered by its rule's retry policy exactly as the local bus does (see {@link processStageBatch}).
 * Configuration is read once per container; a bad one fails the init loudly.
 */
const env = readRuntimeEnv(process.env);
const delivery = readDeliveryEnv(process.env);
const stage = stageDefinitions[env[RuntimeEnvName.Stage]];
const queues = new SqsDeliveryQueues(new SQSClient({}));

/** The stage's declared ports, built once per container at init. */
export const ports = awsStagePorts(stage.needs, env, path.join(__dirname, 'sql'));

/** Runs the configured stage on each event of an SQS batch; answers the messages to keep for a later attempt. */
export async function handler(event: unknown): Promise<BatchResponse> {
  const deps = await ports;
  return processStageBatch(event, { run: (e) => stage.run(e, deps), routes: delivery.routes, backoff: delivery.backoff, queues, now: Date.now, random: Math.random });
}
