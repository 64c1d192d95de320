import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalEventBus } from '../../../../infra/emulators/bus/local-event-bus';
import { publisherContract } from '../../../handlers/ports/publisher.contract';

publisherContract(
  'LocalEventBus (durable log on disk)',
  async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'tributary-bus-contract-'));
    const bus = await LocalEventBus.open({ home });
    const accepted: unknown[] = [];
    const stop = bus.onEvent((e) => accepted.push(e.event));
    return {
      transport: bus,
      eventBusName: 'tributary',
      maxRequestBytes: 256 * 1024,
      accepted: async () => accepted,
      failNextEntries: () => {
        throw new Error('the local bus cannot inject entry failures');
      },
      close: async () => {
        stop();
        await bus.close();
        await rm(home, { recursive: true, force: true });
      },
    };
  },
  { skipEntryFailures: 'the local bus fails entries only for invalid input (no throttling or internal failures to inject); the resend logic is covered against the EventBridge transport' },
);
