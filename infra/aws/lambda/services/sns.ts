import { SNSClient } from '@aws-sdk/client-sns';
import type { StageDeps } from '../../../../handlers/stage-deps';
import { SnsAlertSink } from '../../adapters/sns-alert-sink';
import { RuntimeEnvName, type RuntimeEnv } from '../runtime-env';

/** A new SNS client (region and credentials from the Lambda environment). */
export const client = (): SNSClient => new SNSClient({});

/** The alert topic. */
export function ports(sns: SNSClient, env: RuntimeEnv): Pick<StageDeps, 'alerts'> {
  return { alerts: new SnsAlertSink(sns, env[RuntimeEnvName.AlertTopicArn]) };
}
