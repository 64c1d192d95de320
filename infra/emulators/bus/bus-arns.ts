/**
 * ARNs of the local bus, shaped as AWS's so that rules, DLQ attributes and replay filters carry the
 * same strings locally and on AWS. Account and region follow the local emulator convention.
 */
export const LOCAL_ACCOUNT = '000000000000';
/** The region every local ARN names. */
export const LOCAL_REGION = 'us-east-1';

const EVENTS_PREFIX = `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:`;
const SQS_PREFIX = `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:`;
/** Prefix of in-process stage targets: `arn:tributary:stage:<stage id>`. */
export const STAGE_ARN_PREFIX = 'arn:tributary:stage:';

/** The ARN of a bus: `arn:aws:events:us-east-1:000000000000:event-bus/<name>`. */
export function busArn(name: string): string {
  return `${EVENTS_PREFIX}event-bus/${name}`;
}

/** A bus name from a name or a bus ARN (`default` when absent), as EventBusName accepts both. */
export function busNameOf(nameOrArn: string | undefined): string {
  if (nameOrArn === undefined || nameOrArn === '') return 'default';
  const marker = ':event-bus/';
  const at = nameOrArn.indexOf(marker);
  return nameOrArn.startsWith('arn:') && at >= 0 ? nameOrArn.slice(at + marker.length) : nameOrArn;
}

/** Whether a target ARN names an event bus (an event-bus forwarding target). */
export function isBusArn(arn: string): boolean {
  return arn.startsWith('arn:aws:events:') && arn.includes(':event-bus/');
}

/** A rule ARN as AWS shapes it: `rule/<name>` on the default bus, `rule/<bus>/<name>` on a custom bus. */
export function ruleArn(bus: string, name: string): string {
  return bus === 'default' ? `${EVENTS_PREFIX}rule/${name}` : `${EVENTS_PREFIX}rule/${bus}/${name}`;
}

/** The ARN of an archive: `arn:aws:events:us-east-1:000000000000:archive/<name>`. */
export function archiveArn(name: string): string {
  return `${EVENTS_PREFIX}archive/${name}`;
}

/** The archive name from an archive ARN, or undefined when the string is not one. */
export function archiveNameOf(arn: string): string | undefined {
  const marker = ':archive/';
  const at = arn.indexOf(marker);
  return arn.startsWith('arn:aws:events:') && at >= 0 ? arn.slice(at + marker.length) : undefined;
}

/** The ARN of a replay: `arn:aws:events:us-east-1:000000000000:replay/<name>`. */
export function replayArn(name: string): string {
  return `${EVENTS_PREFIX}replay/${name}`;
}

/** The in-process target ARN of a stage handler registered under `stageId`. */
export function stageTargetArn(stageId: string): string {
  return `${STAGE_ARN_PREFIX}${stageId}`;
}

/** The SQS-shaped ARN of a local DLQ, as `DeadLetterConfig.Arn` names it. */
export function deadLetterQueueArn(name: string): string {
  return `${SQS_PREFIX}${name}`;
}

/** A DLQ name from its SQS ARN or a bare name. */
export function deadLetterQueueNameOf(arnOrName: string): string {
  return arnOrName.startsWith('arn:aws:sqs:') ? (arnOrName.split(':')[5] ?? arnOrName) : arnOrName;
}

/** The bus and rule name an EventBridge rule ARN names (`rule/<name>` or `rule/<bus>/<name>`), or undefined. */
export function ruleRefOf(arn: string): { readonly bus: string; readonly name: string } | undefined {
  const marker = ':rule/';
  const at = arn.indexOf(marker);
  if (!arn.startsWith('arn:aws:events:') || at < 0) return undefined;
  const rest = arn.slice(at + marker.length);
  const slash = rest.lastIndexOf('/');
  return slash < 0 ? { bus: 'default', name: rest } : { bus: rest.slice(0, slash), name: rest.slice(slash + 1) };
}
