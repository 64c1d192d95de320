import type { RuleRow } from '../../../events/rules';
import { busArn, deadLetterQueueArn, stageTargetArn } from './bus-arns';
import type { LocalEventBus } from './local-event-bus';

/**
 * The `ManagedBy` of the pipeline's own rules: listings show it, and API callers get a
 * ManagedRuleException if they try to change them (deleting one needs `Force`, as on AWS).
 */
export const PIPELINE_MANAGER = 'tributary.pipeline';

/** The rule on the `default` bus that forwards service events to our bus. */
export interface ForwardingRule {
  readonly name: string;
  readonly pattern: Readonly<Record<string, unknown>>;
  readonly toBus: string;
}

/**
 * Installs a rule table on the local bus as the CDK stack does on AWS: one rule per row, its one
 * target the row's stage (`arn:tributary:stage:<stage>`, target id = stage id) with the row's retry
 * policy and DLQ; plus the forwarding rule on `default` whose target is our bus. Idempotent: rules
 * and targets are upserted, so it runs on every start; rules users added through the API are kept.
 * Every rule it installs is managed by {@link PIPELINE_MANAGER}.
 */
export async function installTopology(bus: LocalEventBus, rows: readonly RuleRow[], forwarding?: ForwardingRule): Promise<void> {
  const managed = { managedBy: PIPELINE_MANAGER };
  for (const row of rows) {
    await bus.putRule({ Name: row.id, EventBusName: row.eventBusName, Description: row.description, EventPattern: JSON.stringify(row.pattern) }, managed);
    await bus.putTargets({
      Rule: row.id,
      EventBusName: row.eventBusName,
      Targets: [
        {
          Id: row.target,
          Arn: stageTargetArn(row.target),
          RetryPolicy: { MaximumEventAgeInSeconds: row.retryPolicy.maximumEventAgeInSeconds, MaximumRetryAttempts: row.retryPolicy.maximumRetryAttempts },
          DeadLetterConfig: { Arn: deadLetterQueueArn(row.deadLetterQueue) },
        },
      ],
    }, managed);
  }
  if (forwarding !== undefined) {
    await bus.putRule({ Name: forwarding.name, EventBusName: 'default', EventPattern: JSON.stringify(forwarding.pattern) }, managed);
    await bus.putTargets({ Rule: forwarding.name, EventBusName: 'default', Targets: [{ Id: forwarding.toBus, Arn: busArn(forwarding.toBus) }] }, managed);
  }
}
