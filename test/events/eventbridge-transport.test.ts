import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EventBridgeTransport } from '../../events/eventbridge-transport';
import { PutEventsRequestError } from '../../events/publisher/errors';
import { publisherContract } from '../handlers/ports/publisher.contract';
import { EventBridgeEmulator } from './publisher-eventbridge-emulator';
import { allowViolations } from '../infra/aws/api-model/violation-log';

// The contract sends an 11-entry PutEvents on purpose, to see it refused whole.
allowViolations(/^EventBridge PutEvents request breaks the AWS API model: Entries size 11 is above the maximum 10$/);

publisherContract('EventBridgeTransport (aws-sdk-client-mock emulating PutEvents)', async () => {
  const emulator = new EventBridgeEmulator();
  return {
    transport: new EventBridgeTransport(emulator.client),
    eventBusName: 'tributary',
    maxRequestBytes: emulator.maxRequestBytes,
    accepted: async () => emulator.accepted,
    failNextEntries: (count, code) => emulator.failNextEntries(count, code),
    close: async () => emulator.restore(),
  };
});

describe('EventBridgeTransport', () => {
  let emulator: EventBridgeEmulator;
  beforeEach(() => {
    emulator = new EventBridgeEmulator();
  });
  afterEach(() => emulator.restore());

  it('sends one PutEventsCommand with every field of the entries', async () => {
    const time = new Date('2024-01-01T00:00:00Z');
    await new EventBridgeTransport(emulator.client).putEvents([
      { Source: 's', DetailType: 'd', Detail: '{}', EventBusName: 'tributary', Resources: ['arn:x'], Time: time, TraceHeader: 'Root=1-abc' },
    ]);
    expect(emulator.requests).toEqual([{ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}', EventBusName: 'tributary', Resources: ['arn:x'], Time: time, TraceHeader: 'Root=1-abc' }] }]);
  });

  it('is what the SDK mock sees as PutEventsCommand', async () => {
    const transport = new EventBridgeTransport(emulator.client);
    const response = await transport.putEvents([{ Source: 's', DetailType: 'd', Detail: '{"a":1}' }]);
    expect(response.Entries[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new PutEventsCommand({ Entries: [] })).toBeInstanceOf(PutEventsCommand);
  });

  it.each([
    ['ThrottlingException', true],
    ['InternalException', true],
    ['AccessDeniedException', false],
  ] as const)('translates a rejected request (%s) into PutEventsRequestError, retryable=%s', async (name, retryable) => {
    emulator.failNextRequest(name);
    const call = new EventBridgeTransport(emulator.client).putEvents([{ Source: 's', DetailType: 'd', Detail: '{}' }]);
    await expect(call).rejects.toBeInstanceOf(PutEventsRequestError);
    await expect(call).rejects.toMatchObject({ code: name, retryable });
  });

  it('translates the service\'s size ValidationException as poison', async () => {
    const call = new EventBridgeTransport(emulator.client).putEvents([{ Source: 's', DetailType: 'd', Detail: JSON.stringify({ p: 'x'.repeat(300_000) }) }]);
    await expect(call).rejects.toMatchObject({ code: 'ValidationException', retryable: false, message: expect.stringMatching(/over the limit/) });
  });
});
