import type { BatchTriggerRule } from '../../../events/rules';
import { deadLetterQueueArn, stageTargetArn } from './bus-arns';
import { PIPELINE_MANAGER } from './install-topology';
import type { LocalEventBus } from './local-event-bus';

/** Schedule rules live on the `default` bus, as on AWS. */
const SCHEDULE_BUS = 'default';

/** A missed tick is retried briefly; the next tick does the same work anyway. */
const TICK_RETRY = { MaximumEventAgeInSeconds: 300, MaximumRetryAttempts: 3 };

/**
 * Installs the schedule rule of every batch-triggered dataset on the local bus (managed, like the
 * rule table's rows), targeting its stage, and deletes the pipeline's batch rules of datasets that no
 * longer declare a trigger. Idempotent: a rule put again with the same expression keeps its schedule
 * progress, so a restart neither fires an extra tick nor skips one.
 */
export async function installBatchTriggers(bus: LocalEventBus, rules: readonly BatchTriggerRule[], namePrefix: string): Promise<void> {
  const managed = { managedBy: PIPELINE_MANAGER };
  for (const rule of rules) {
    await bus.putRule({ Name: rule.ruleName, EventBusName: SCHEDULE_BUS, Description: `Batch trigger of dataset ${rule.dataset}: one raw crawl and refine per tick over the runs landed since.`, ScheduleExpression: rule.scheduleExpression }, managed);
    await bus.putTargets({
      Rule: rule.ruleName,
      EventBusName: SCHEDULE_BUS,
      Targets: [{ Id: rule.target, Arn: stageTargetArn(rule.target), RetryPolicy: TICK_RETRY, DeadLetterConfig: { Arn: deadLetterQueueArn(rule.deadLetterQueue) } }],
    }, managed);
  }
  const wanted = new Set(rules.map((r) => r.ruleName));
  let token: string | undefined;
  const stale: { name: string; managed: boolean }[] = [];
  do {
    const page = await bus.listRules({ EventBusName: SCHEDULE_BUS, NamePrefix: namePrefix, ...(token ? { NextToken: token } : {}) });
    for (const r of page.Rules) if (!wanted.has(r.Name)) stale.push({ name: r.Name, managed: r.ManagedBy === PIPELINE_MANAGER });
    token = page.NextToken;
  } while (token);
  for (const rule of stale.filter((r) => r.managed)) {
    const { Targets } = await bus.listTargetsByRule({ Rule: rule.name, EventBusName: SCHEDULE_BUS });
    if (Targets.length > 0) await bus.removeTargets({ Rule: rule.name, EventBusName: SCHEDULE_BUS, Ids: Targets.map((t) => t.Id), Force: true });
    await bus.deleteRule({ Name: rule.name, EventBusName: SCHEDULE_BUS, Force: true });
  }
}
