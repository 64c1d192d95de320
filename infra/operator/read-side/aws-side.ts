import { PipelineError } from '../../../contracts/pipeline-error';
import type { RunStore } from '../../../handlers/ports/run-store';
import type { AwsDeadLetter } from '../../aws/adapters/sqs-dead-letters';
import { awsOperations, type AwsOperations } from '../../aws/aws-operations';
import { extraDatasetDirs, readDatasetManifests } from '../../aws/dataset-manifests';
import { DEFAULT_SQL_DIR } from '../../datasets/dataset-roots';
import type { DeadLetterRow, RedriveSummary } from './dead-letters-read';
import { openReadSide } from './read-side';

/**
 * The deployed stack's operations for `--aws` (region and credentials from the usual AWS
 * environment; `TRIBUTARY_PREFIX` if the stack was deployed with another prefix than `tributary`;
 * the datasets are the built-in ones and the folders of `TRIBUTARY_DATASETS`, as the stack's
 * `datasetDirs` context key named them, so each batch trigger's DLQ is known).
 */
export function awsSide(): AwsOperations {
  return awsOperations(process.env.TRIBUTARY_PREFIX ?? 'tributary', {}, readDatasetManifests(DEFAULT_SQL_DIR, extraDatasetDirs(process.env.TRIBUTARY_DATASETS)));
}

/** The run store of the home, or of the deployed stack with `--aws`; `close` releases it. */
export async function runStoreFor(home: string, aws: boolean | undefined): Promise<{ runs: RunStore; close(): Promise<void> }> {
  if (aws) return { runs: awsSide().runs, close: async () => undefined };
  return openReadSide(home);
}

/** Every dead-lettered delivery in the deployed stack's SQS DLQs (peeked, nothing consumed), oldest first. */
export async function listAwsDeadLetters(aws: AwsOperations): Promise<AwsDeadLetter[]> {
  const letters = (await Promise.all(aws.deadLetterQueues.map((q) => aws.deadLetters.list(q)))).flat();
  return letters.sort((a, b) => a.sentAt.localeCompare(b.sentAt));
}

/** A field of a dead-lettered event's body, when the body is an object carrying it as a string. */
function eventField(event: unknown, key: string): string {
  if (typeof event !== 'object' || event === null || !(key in event)) return '';
  const value: unknown = Object.getOwnPropertyDescriptor(event, key)?.value;
  return typeof value === 'string' ? value : '';
}

/**
 * The deployed stack's dead letters as the CLI's table and the console's list show them. A message
 * that the delivery queue's redrive policy moved (no EventBridge attributes) has empty error columns.
 */
export function awsDeadLetterRows(letters: readonly AwsDeadLetter[]): DeadLetterRow[] {
  const last = (arn: string | undefined): string => (arn === undefined ? '' : (arn.split(/[/:]/).pop() ?? arn));
  return letters.map((l) => ({
    queue: l.queue,
    id: l.messageId,
    sent: l.sentAt,
    rule: last(l.attributes.RULE_ARN),
    target: last(l.attributes.TARGET_ARN),
    event: eventField(l.event, 'detail-type'),
    eventId: eventField(l.event, 'id'),
    error: l.attributes.ERROR_CODE ?? '',
    attempts: l.attributes.RETRY_ATTEMPTS ?? '',
    exhausted: l.attributes.EXHAUSTED_RETRY_CONDITION ?? '',
    message: l.attributes.ERROR_MESSAGE ?? '',
  }));
}

/**
 * Sends one dead-lettered delivery of the deployed stack (`one`) or every one back to its rule's
 * delivery queue. One that is refused or gone throws (it stays queued); with all, refused ones are
 * kept and listed with the reason while the others go.
 */
export async function redriveAwsDeadLetters(aws: AwsOperations, one?: { readonly queue: string; readonly id: string }): Promise<RedriveSummary> {
  if (one) {
    await aws.redrive.redrive(one.queue, one.id);
    return { redriven: 1, refused: [] };
  }
  const summary = await aws.redrive.redriveAll(aws.deadLetterQueues);
  return { redriven: summary.redriven, refused: summary.refused.map((r) => ({ queue: r.queue, id: r.messageId, reason: r.reason })) };
}

/**
 * Starts an EventBridge replay named `name` of the deployed stack's archive over `[from, to)` to its
 * bus, narrowed to the given rule ids (`events/rules.ts`; none = every rule); returns the rule ARNs
 * it was narrowed to. Its state is {@link awsReplayState}.
 */
export async function startAwsReplay(aws: AwsOperations, name: string, window: { readonly from: Date; readonly to: Date; readonly rules: readonly string[] }): Promise<{ readonly filter: readonly string[] }> {
  if (!(window.from.getTime() < window.to.getTime())) throw new PipelineError(`the replay window must end after it starts, got ${window.from.toISOString()} .. ${window.to.toISOString()}`, { retryable: false });
  const archive = await aws.replays.describeArchive(aws.archiveName);
  const filter = await Promise.all(window.rules.map((r) => aws.replays.ruleArn(aws.busName, aws.ruleNames.get(r) ?? r)));
  await aws.replays.startReplay({
    ReplayName: name, EventSourceArn: archive.ArchiveArn, EventStartTime: window.from, EventEndTime: window.to,
    Destination: { Arn: archive.EventSourceArn, ...(filter.length > 0 ? { FilterArns: filter } : {}) },
  });
  return { filter };
}

/** The state of a replay of the deployed stack (STARTING, RUNNING, COMPLETED, FAILED…) and EventBridge's reason. */
export async function awsReplayState(aws: AwsOperations, name: string): Promise<{ readonly state: string; readonly reason?: string }> {
  const replay = await aws.replays.describeReplay(name);
  return { state: replay.State, ...(replay.StateReason !== undefined ? { reason: replay.StateReason } : {}) };
}
