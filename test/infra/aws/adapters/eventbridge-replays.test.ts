import {
  DescribeArchiveCommand,
  DescribeReplayCommand,
  DescribeRuleCommand,
  ResourceNotFoundException,
  EventBridgeClient,
  EventBridgeServiceException,
  ResourceAlreadyExistsException,
  StartReplayCommand,
  type StartReplayCommandInput,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeReplays } from '../../../../infra/aws/adapters/eventbridge-replays';

const archiveArn = 'arn:aws:events:us-east-1:123456789012:archive/tributary-archive';
const busArn = 'arn:aws:events:us-east-1:123456789012:event-bus/tributary';
const meta = { $metadata: { httpStatusCode: 400 } };

/** EventBridge's ValidationException (the SDK models no class for it). */
class ValidationException extends EventBridgeServiceException {
  constructor(options: { message: string; $metadata: object }) {
    super({ name: 'ValidationException', $fault: 'client', ...options });
  }
}

/**
 * Test double of EventBridge replays, validating as the service does (semantics note §7): start
 * before end, a known archive, the archive's own bus as destination, unique names; a replay goes
 * STARTING → RUNNING → COMPLETED as it is described.
 */
function emulator(): { client: EventBridgeClient; inputs: StartReplayCommandInput[]; restore: () => void } {
  const client = new EventBridgeClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const mock = mockClient(client);
  const replays = new Map<string, number>();
  const inputs: StartReplayCommandInput[] = [];
  mock.on(StartReplayCommand).callsFake((input: StartReplayCommandInput) => {
    if (!input.EventStartTime || !input.EventEndTime || input.EventStartTime >= input.EventEndTime) throw new ValidationException({ message: 'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.', ...meta });
    if (input.EventSourceArn !== archiveArn) throw new ValidationException({ message: `Parameter EventSourceArn is not valid. Reason: Archive ${input.EventSourceArn?.split('/').pop()} does not exist.`, ...meta });
    if (input.Destination?.Arn !== busArn) throw new ValidationException({ message: 'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.', ...meta });
    if (replays.has(String(input.ReplayName))) throw new ResourceAlreadyExistsException({ message: `Replay ${input.ReplayName} already exists.`, ...meta });
    replays.set(String(input.ReplayName), 0);
    inputs.push(input);
    return { ReplayArn: `arn:aws:events:us-east-1:123456789012:replay/${input.ReplayName}`, State: 'STARTING', ReplayStartTime: new Date() };
  });
  mock.on(DescribeReplayCommand).callsFake(({ ReplayName }) => {
    const seen = replays.get(String(ReplayName));
    if (seen === undefined) throw new ValidationException({ message: `Replay ${ReplayName} does not exist.`, ...meta });
    replays.set(String(ReplayName), seen + 1);
    return { ReplayName, State: ['STARTING', 'RUNNING', 'COMPLETED'][Math.min(seen, 2)] };
  });
  mock.on(DescribeArchiveCommand).callsFake(({ ArchiveName }) => {
    if (`arn:aws:events:us-east-1:123456789012:archive/${ArchiveName}` !== archiveArn) throw new ResourceNotFoundException({ message: `Archive ${ArchiveName} does not exist.`, ...meta });
    return { ArchiveArn: archiveArn, ArchiveName, EventSourceArn: busArn, State: 'ENABLED' };
  });
  mock.on(DescribeRuleCommand).callsFake(({ EventBusName, Name }) => {
    if (EventBusName !== 'tributary' || !String(Name).startsWith('tributary-')) throw new ResourceNotFoundException({ message: `Rule ${Name} does not exist on EventBus ${EventBusName}.`, ...meta });
    return { Name, EventBusName, Arn: `arn:aws:events:us-east-1:123456789012:rule/${EventBusName}/${Name}` };
  });
  return { client, inputs, restore: () => mock.restore() };
}

describe('EventBridgeReplays', () => {
  const window = { EventStartTime: new Date('2026-01-01T00:00:00Z'), EventEndTime: new Date('2026-01-02T00:00:00Z') };

  it('starts a replay filtered to rules and follows it to COMPLETED', async () => {
    const eb = emulator();
    const replays = new EventBridgeReplays(eb.client);
    const rule = 'arn:aws:events:us-east-1:123456789012:rule/tributary/tributary-refined-forecast';
    expect(await replays.startReplay({ ReplayName: 'backfill-1', EventSourceArn: archiveArn, ...window, Destination: { Arn: busArn, FilterArns: [rule] } })).toEqual({ ReplayArn: 'arn:aws:events:us-east-1:123456789012:replay/backfill-1', State: 'STARTING' });
    expect(eb.inputs[0]?.Destination?.FilterArns).toEqual([rule]);
    const states = [];
    for (let i = 0; i < 3; i += 1) states.push((await replays.describeReplay('backfill-1')).State);
    expect(states).toEqual(['STARTING', 'RUNNING', 'COMPLETED']);
    eb.restore();
  });

  it('finds the archive, its bus and rule ARNs by name, so a replay needs only names', async () => {
    const eb = emulator();
    const replays = new EventBridgeReplays(eb.client);
    expect(await replays.describeArchive('tributary-archive')).toEqual({ ArchiveArn: archiveArn, EventSourceArn: busArn });
    expect(await replays.ruleArn('tributary', 'tributary-refined-forecast')).toBe('arn:aws:events:us-east-1:123456789012:rule/tributary/tributary-refined-forecast');
    await expect(replays.describeArchive('other')).rejects.toMatchObject({ code: 'ResourceNotFoundException', retryable: false });
    eb.restore();
  });

  it("passes EventBridge's refusals on with their reason, not retryable", async () => {
    const eb = emulator();
    const replays = new EventBridgeReplays(eb.client);
    const start = (over: object) => replays.startReplay({ ReplayName: 'r', EventSourceArn: archiveArn, ...window, Destination: { Arn: busArn }, ...over });
    await expect(start({ EventStartTime: window.EventEndTime })).rejects.toMatchObject({ code: 'ValidationException', retryable: false, message: expect.stringMatching(/EventStartTime must be before EventEndTime/) });
    await expect(start({ Destination: { Arn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' } })).rejects.toThrow(/Cross event bus replay/);
    await start({});
    await expect(start({})).rejects.toMatchObject({ code: 'ResourceAlreadyExistsException', retryable: false });
    eb.restore();
  });
});
