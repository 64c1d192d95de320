import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgeTransport } from '../../../../events/eventbridge-transport';
import { EventPublisher } from '../../../../events/publisher';
import type { StageDeps } from '../../../../handlers/stage-deps';
import { RuntimeEnvName, type RuntimeEnv } from '../runtime-env';

/** A new EventBridge client (region and credentials from the Lambda environment). */
export const client = (): EventBridgeClient => new EventBridgeClient({});

/** Domain events onto our bus. */
export function ports(eventBridge: EventBridgeClient, env: RuntimeEnv): Pick<StageDeps, 'publisher'> {
  return { publisher: new EventPublisher({ transport: new EventBridgeTransport(eventBridge), eventBusName: env[RuntimeEnvName.Bus] }) };
}
