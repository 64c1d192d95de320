import { DescribeArchiveCommand, DescribeReplayCommand, DescribeRuleCommand, StartReplayCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { awsErrorCode, awsErrorMessage, isTransientAwsError } from './aws-error-code';
import { CodedError } from '../../../handlers/ports/coded-error';

/** StartReplay's input: a window [start, end) of the archive, replayed to the bus, optionally only to some rules. */
export interface StartReplayInput {
  readonly ReplayName: string;
  readonly EventSourceArn: string;
  readonly EventStartTime: Date;
  readonly EventEndTime: Date;
  readonly Destination: { readonly Arn: string; readonly FilterArns?: readonly string[] };
}

/** Replay states (EventBridge `ReplayState`). */
export const ReplayState = {
  Starting: 'STARTING',
  Running: 'RUNNING',
  Cancelling: 'CANCELLING',
  Completed: 'COMPLETED',
  Cancelled: 'CANCELLED',
  Failed: 'FAILED',
} as const;
/** One replay state. */
export type ReplayState = (typeof ReplayState)[keyof typeof ReplayState];

const states: ReadonlySet<string> = new Set(Object.values(ReplayState));
const isState = (v: string | undefined): v is ReplayState => v !== undefined && states.has(v);

/** A replay request EventBridge refused (bad window, unknown archive, duplicate name …) or could not serve now. */
export class ReplayError extends CodedError {}

/**
 * `tributary replay --aws`: StartReplay and DescribeReplay on the deployed bus archive, the same input
 * the local bus takes. EventBridge's refusals keep its message (they say what was wrong: "EventStartTime
 * must be before EventEndTime", "Replay <name> already exists" …); throttling and faults are retryable.
 */
export class EventBridgeReplays {
  constructor(private readonly client: EventBridgeClient) {}

  async startReplay(input: StartReplayInput): Promise<{ ReplayArn: string; State: ReplayState }> {
    const out = await this.call(`StartReplay ${input.ReplayName}`, () =>
      this.client.send(
        new StartReplayCommand({
          ReplayName: input.ReplayName,
          EventSourceArn: input.EventSourceArn,
          EventStartTime: input.EventStartTime,
          EventEndTime: input.EventEndTime,
          Destination: { Arn: input.Destination.Arn, ...(input.Destination.FilterArns === undefined ? {} : { FilterArns: [...input.Destination.FilterArns] }) },
        }),
      ),
    );
    return { ReplayArn: out.ReplayArn ?? '', State: this.state(out.State, input.ReplayName) };
  }

  /** The replay's state; FAILED comes with EventBridge's reason in `StateReason`. */
  async describeReplay(name: string): Promise<{ State: ReplayState; StateReason?: string; EventLastReplayedTime?: Date }> {
    const out = await this.call(`DescribeReplay ${name}`, () => this.client.send(new DescribeReplayCommand({ ReplayName: name })));
    return {
      State: this.state(out.State, name),
      ...(out.StateReason === undefined ? {} : { StateReason: out.StateReason }),
      ...(out.EventLastReplayedTime === undefined ? {} : { EventLastReplayedTime: out.EventLastReplayedTime }),
    };
  }

  /** The archive's ARN and its source bus's ARN (what StartReplay needs), from its name. */
  async describeArchive(name: string): Promise<{ ArchiveArn: string; EventSourceArn: string }> {
    const out = await this.call(`DescribeArchive ${name}`, () => this.client.send(new DescribeArchiveCommand({ ArchiveName: name })));
    return { ArchiveArn: out.ArchiveArn ?? '', EventSourceArn: out.EventSourceArn ?? '' };
  }

  /** The ARN of a rule on a bus (what `FilterArns` lists), from its name. */
  async ruleArn(eventBusName: string, ruleName: string): Promise<string> {
    const out = await this.call(`DescribeRule ${eventBusName}/${ruleName}`, () => this.client.send(new DescribeRuleCommand({ EventBusName: eventBusName, Name: ruleName })));
    return out.Arn ?? '';
  }

  private state(value: string | undefined, name: string): ReplayState {
    if (!isState(value)) throw new ReplayError(`replay ${name} reports an unknown state ${String(value)}`, { code: 'InternalException', retryable: true });
    return value;
  }

  private async call<T>(what: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const code = awsErrorCode(error);
      throw new ReplayError(`${what}: ${code}: ${awsErrorMessage(error)}`, { code, retryable: code === 'LimitExceededException' || isTransientAwsError(error), cause: error });
    }
  }
}
