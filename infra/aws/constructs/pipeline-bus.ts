import { Aws, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SCHEDULED_STAGES, type BatchTriggerRule, type EventPattern, type RetryPolicy, type RuleRow } from '../../../events/rules';
import { StageId } from '../../../events/stage-ids';
import { deliveryQueueName, routesJson, DeliveryEnvName, type DeliveryRoute } from '../lambda/delivery-routes';
import { deadLetterQueue } from './dead-letter-queue';
import { allowRuleToSend, ruleDeliveryQueue } from './rule-delivery-queue';

/** What the bus is built from: the rule table, the forwarding and archive patterns, and the stage functions. */
export interface PipelineBusProps {
  readonly prefix: string;
  readonly busName: string;
  readonly rows: readonly RuleRow[];
  readonly forwardingPattern: EventPattern;
  readonly archivePattern: EventPattern;
  readonly archiveRetentionDays: number;
  /** The function of a stage: it consumes the delivery queue of every rule targeting the stage. */
  readonly functionOf: (stage: StageId) => lambda.Function;
  /** The schedule rule of each batch-triggered dataset (`batchTriggerRules` of the manifests). */
  readonly batchTriggers?: readonly BatchTriggerRule[];
}

/** A rule the stack created, with its dead-letter queue: what alarms and the dashboard watch. */
export interface CreatedRule {
  readonly id: string;
  readonly ruleName: string;
  readonly rule: events.CfnRule;
  readonly deadLetterQueue: sqs.Queue;
  /** The queue the rule delivers to, which its stage function consumes (none for the forwarding rule). */
  readonly deliveryQueue?: sqs.Queue;
}

/** Id of the forwarding rule: its rule is `<prefix>-<id>`, its DLQ `<prefix>-<id>-dlq`. */
export const FORWARDING_RULE_ID = 'forward-service-events';

/** The name of the archive of our bus. */
export function archiveName(prefix: string): string {
  return `${prefix}-archive`;
}

/** Retry policy of the forwarding rule: EventBridge's maximum, since losing a service event loses a run. */
const FORWARD_RETRY: RetryPolicy = { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 };
/** Retry policy of a schedule rule's target: none, within its period (the next tick does the same work). */
const SCHEDULE_RETRY: RetryPolicy = { maximumEventAgeInSeconds: 300, maximumRetryAttempts: 0 };

/**
 * The event side of the pipeline: our custom bus; one rule on the `default` bus forwarding only the
 * service events we consume; one rule per row of the rule table, its pattern passed through verbatim,
 * delivering to the row's own SQS queue, which the row's stage function consumes and where the row's
 * retry policy is applied as the local bus applies it (see {@link ruleDeliveryQueue}), with its own SQS
 * dead-letter queue; the bus archive; and one schedule rule on the `default` bus per scheduled stage
 * (`SCHEDULED_STAGES`: the watchdog) and batch-triggered dataset, delivered the same way. Each function
 * is told its queues' rules, policies and DLQs (`TRIBUTARY_DELIVERY_ROUTES`). Rules are L1 (`CfnRule`)
 * so the table's patterns — `$or` included — reach the template unchanged, as the local bus compiles them.
 */
export class PipelineBus extends Construct {
  readonly bus: events.EventBus;
  readonly archive: events.CfnArchive;
  readonly forwarding: CreatedRule;
  readonly rules: readonly CreatedRule[];
  readonly schedules: readonly CreatedRule[];
  private readonly routes = new Map<lambda.Function, Map<string, DeliveryRoute>>();

  constructor(scope: Construct, id: string, props: PipelineBusProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: props.busName, description: 'Tributary domain events and forwarded service events' });
    this.forwarding = this.forwardingRule(props);
    this.rules = props.rows.map((row) => this.stageRule(row, props));
    this.schedules = [
      ...Object.values(StageId).flatMap((stage) => {
        const schedule = SCHEDULED_STAGES[stage];
        const id = `${stage}-schedule`;
        return schedule === undefined ? [] : [this.scheduleRule({ id, ruleName: `${props.prefix}-${id}`, queueName: `${props.prefix}-${id}-dlq`, stage, schedule, description: `Starts the ${stage} stage on a schedule: ${schedule}` }, props)];
      }),
      ...(props.batchTriggers ?? []).map((t) => this.scheduleRule({ id: t.id, ruleName: t.ruleName, queueName: t.deadLetterQueue, stage: t.target, schedule: t.scheduleExpression, description: `Batch trigger of dataset ${t.dataset}: one raw crawl and refine per tick over the runs landed since (${t.scheduleExpression})` }, props)),
    ];
    this.archive = new events.CfnArchive(this, 'Archive', {
      archiveName: archiveName(props.prefix),
      sourceArn: this.bus.eventBusArn,
      description: 'Domain events and forwarded service events, for tributary replay',
      eventPattern: props.archivePattern,
      retentionDays: props.archiveRetentionDays,
    });
    for (const [fn, routes] of this.routes) fn.addEnvironment(DeliveryEnvName.Routes, Stack.of(this).toJsonString(routesJson(routes)));
  }

  private deadLetterQueue(id: string, queueName: string): sqs.Queue {
    return deadLetterQueue(this, `Dlq-${id}`, queueName, `the dead-letter queue of rule ${id}`);
  }

  /** The delivery queue of rule `id` for `stage`, recorded in the stage function's routes once the rule exists. */
  private deliveryQueue(id: string, ruleName: string, stage: StageId, retryPolicy: RetryPolicy, dlq: { queue: sqs.Queue; name: string }, props: PipelineBusProps): { queue: sqs.Queue; route: (rule: events.CfnRule) => void } {
    const consumer = props.functionOf(stage);
    const queueName = deliveryQueueName(ruleName);
    const queue = ruleDeliveryQueue(this, `Deliveries-${id}`, { queueName, retryPolicy, deadLetterQueue: dlq.queue, consumer });
    return {
      queue,
      route: (rule) => {
        const routes = this.routes.get(consumer) ?? new Map<string, DeliveryRoute>();
        routes.set(queueName, { ruleArn: rule.attrArn, retryPolicy, deadLetterQueue: dlq.name });
        this.routes.set(consumer, routes);
        allowRuleToSend(queue, rule.attrArn);
        allowRuleToSend(dlq.queue, rule.attrArn);
      },
    };
  }

  private stageRule(row: RuleRow, props: PipelineBusProps): CreatedRule {
    const queue = this.deadLetterQueue(row.id, row.deadLetterQueue);
    const ruleName = `${props.prefix}-${row.id}`;
    const delivery = this.deliveryQueue(row.id, ruleName, row.target, row.retryPolicy, { queue, name: row.deadLetterQueue }, props);
    const rule = new events.CfnRule(this, `Rule-${row.id}`, {
      name: ruleName,
      description: row.description,
      eventBusName: this.bus.eventBusName,
      eventPattern: row.pattern,
      state: 'ENABLED',
      targets: [
        {
          id: row.target,
          arn: delivery.queue.queueArn,
          retryPolicy: { maximumEventAgeInSeconds: row.retryPolicy.maximumEventAgeInSeconds, maximumRetryAttempts: row.retryPolicy.maximumRetryAttempts },
          deadLetterConfig: { arn: queue.queueArn },
        },
      ],
    });
    delivery.route(rule);
    return { id: row.id, ruleName, rule, deadLetterQueue: queue, deliveryQueue: delivery.queue };
  }

  /**
   * A schedule rule on the `default` bus (the scheduled stages', and each batch-triggered dataset's):
   * a missed tick is not retried (the next one does the same work).
   */
  private scheduleRule(spec: { id: string; ruleName: string; queueName: string; stage: StageId; schedule: string; description: string }, props: PipelineBusProps): CreatedRule {
    const { id, ruleName, stage, schedule } = spec;
    const queue = this.deadLetterQueue(id, spec.queueName);
    const delivery = this.deliveryQueue(id, ruleName, stage, SCHEDULE_RETRY, { queue, name: spec.queueName }, props);
    const rule = new events.CfnRule(this, `Rule-${id}`, {
      name: ruleName,
      description: spec.description,
      scheduleExpression: schedule,
      state: 'ENABLED',
      targets: [{ id: stage, arn: delivery.queue.queueArn, retryPolicy: SCHEDULE_RETRY, deadLetterConfig: { arn: queue.queueArn } }],
    });
    delivery.route(rule);
    return { id, ruleName, rule, deadLetterQueue: queue, deliveryQueue: delivery.queue };
  }

  private forwardingRule(props: PipelineBusProps): CreatedRule {
    const id = FORWARDING_RULE_ID;
    const queue = this.deadLetterQueue(id, `${props.prefix}-${id}-dlq`);
    const role = new iam.Role(this, 'ForwardRole', { assumedBy: new iam.ServicePrincipal('events.amazonaws.com'), description: 'Forwards our service events to the Tributary bus' });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [this.bus.eventBusArn] }));
    const ruleName = `${props.prefix}-${id}`;
    const rule = new events.CfnRule(this, 'Rule-forward', {
      name: ruleName,
      description: 'Forwards the S3, Glue, Athena and SageMaker events of our own resources from the default bus to the Tributary bus.',
      eventBusName: 'default',
      eventPattern: props.forwardingPattern,
      state: 'ENABLED',
      targets: [
        {
          id: 'tributary-bus',
          arn: this.bus.eventBusArn,
          roleArn: role.roleArn,
          retryPolicy: { maximumEventAgeInSeconds: FORWARD_RETRY.maximumEventAgeInSeconds, maximumRetryAttempts: FORWARD_RETRY.maximumRetryAttempts },
          deadLetterConfig: { arn: queue.queueArn },
        },
      ],
    });
    allowRuleToSend(queue, rule.attrArn);
    return { id, ruleName, rule, deadLetterQueue: queue };
  }

  /** The ARN of one of our rules on the custom bus (what `StartReplay` filters on). */
  ruleArn(ruleName: string): string {
    return `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/${this.bus.eventBusName}/${ruleName}`;
  }
}
