import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DatasetManifest } from '../../contracts/dataset-manifest';
import { batchTriggerRules, ruleTable, SCHEDULED_STAGES } from '../../events/rules';
import type { RunStore } from '../../handlers/ports/run-store';
import { DynamoDbRunStore } from '../dynamodb/dynamodb-run-store';
import { EventBridgeReplays } from './adapters/eventbridge-replays';
import { QueueRedrive } from './adapters/queue-redrive';
import { SqsDeadLetters } from './adapters/sqs-dead-letters';
import { archiveName, FORWARDING_RULE_ID } from './constructs/pipeline-bus';
import { runTableName } from './constructs/run-state-tables';

/** What `tributary … --aws` needs to operate a deployed stack, all found from the name prefix. */
export interface AwsOperations {
  readonly runs: RunStore;
  readonly replays: EventBridgeReplays;
  readonly deadLetters: SqsDeadLetters;
  /** Re-delivers dead-lettered events to the delivery queue of the rule they were meant for. */
  readonly redrive: QueueRedrive;
  readonly busName: string;
  readonly archiveName: string;
  /** Rule name on the bus of each rule-table row id (`--rule <id>` → `FilterArns`). */
  readonly ruleNames: ReadonlyMap<string, string>;
  /** Every dead-letter queue of the stack: one per row, the forwarding rule's, the scheduled stages' and each batch trigger's. */
  readonly deadLetterQueues: readonly string[];
}

/**
 * Wires the CLI's `--aws` side: the same DynamoDB run store the stages use, the replay and
 * dead-letter adapters, and the names the stack gives its bus, archive, rules and queues — derived
 * from the prefix, the rule table and the datasets' manifests (a batch-triggered dataset has its own
 * schedule rule and DLQ) as the stack derives them, so no lookup of stack outputs is needed. Pass the
 * manifests the stack was deployed with. Region and credentials come from the usual AWS environment.
 */
export function awsOperations(
  prefix = 'tributary',
  clients: { dynamodb?: DynamoDBClient; eventBridge?: EventBridgeClient; sqs?: SQSClient } = {},
  datasets: readonly Pick<DatasetManifest, 'name' | 'trigger'>[] = [],
): AwsOperations {
  const names = { busName: prefix, rawBucket: `${prefix}-raw`, resourcePrefix: prefix, athenaWorkgroup: prefix };
  const rows = ruleTable(names);
  const eventBridge = clients.eventBridge ?? new EventBridgeClient({});
  const deadLetters = new SqsDeadLetters(clients.sqs ?? new SQSClient({}));
  const stageRules = new Map(rows.map((r) => [`${prefix}-${r.id}`, r.deadLetterQueue]));
  return {
    runs: new DynamoDbRunStore({ client: clients.dynamodb ?? new DynamoDBClient({}), tableName: runTableName(prefix) }),
    replays: new EventBridgeReplays(eventBridge),
    deadLetters,
    redrive: new QueueRedrive(eventBridge, deadLetters, { busName: prefix, stageRules }),
    busName: prefix,
    archiveName: archiveName(prefix),
    ruleNames: new Map(rows.map((r) => [r.id, `${prefix}-${r.id}`])),
    deadLetterQueues: [
      ...rows.map((r) => r.deadLetterQueue),
      `${prefix}-${FORWARDING_RULE_ID}-dlq`,
      ...Object.keys(SCHEDULED_STAGES).map((stage) => `${prefix}-${stage}-schedule-dlq`),
      ...batchTriggerRules(names, datasets).map((t) => t.deadLetterQueue),
    ],
  };
}
