import * as path from 'node:path';
import { stageDefinitions } from '../../../handlers/stages';
import { awsStagePorts } from './aws-stage-ports';
import { readRuntimeEnv, RuntimeEnvName } from './runtime-env';

/**
 * The one Lambda entry of every stage function: the stack sets `TRIBUTARY_STAGE`, this picks that
 * stage from the registry and runs it with the ports its needs declare, built by the AWS composition
 * root — only those services' SDK clients are loaded — the same stage code the embedded default runs
 * in-process. Configuration is read once per container; a bad one fails the init loudly. A thrown
 * error makes EventBridge retry, then dead-letter, per the rule table.
 */
const env = readRuntimeEnv(process.env);
const stage = stageDefinitions[env[RuntimeEnvName.Stage]];

/** The stage's declared ports, built once per container at init. */
export const ports = awsStagePorts(stage.needs, env, path.join(__dirname, 'sql'));

/** Runs the configured stage on the event EventBridge delivered. */
export async function handler(event: unknown): Promise<void> {
  await stage.run(event, await ports);
}
