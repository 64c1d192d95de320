import * as path from 'node:path';
import { stages } from '../../../handlers/stages';
import { awsStageDeps } from './aws-stage-deps';
import { readRuntimeEnv, RuntimeEnvName } from './runtime-env';

/**
 * The one Lambda entry of every stage function: the stack sets `TRIBUTARY_STAGE`, this picks that
 * stage from the registry and runs it with the AWS composition root's deps — the same stage code the
 * embedded default runs in-process. Configuration is read once per container; a bad one fails the
 * init loudly. A thrown error makes EventBridge retry, then dead-letter, per the rule table.
 */
const env = readRuntimeEnv(process.env);
const deps = awsStageDeps(env, undefined, path.join(__dirname, 'sql'));
const stage = stages[env[RuntimeEnvName.Stage]];

/** Runs the configured stage on the event EventBridge delivered. */
export async function handler(event: unknown): Promise<void> {
  await stage(event, deps);
}
