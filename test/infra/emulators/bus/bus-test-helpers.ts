import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalEventBus, type LocalEventBusOptions } from '../../../../infra/emulators/bus/local-event-bus';

/** Temp homes and open buses of one test file, cleaned up by {@link BusFixture.cleanup}. */
export class BusFixture {
  private readonly homes: string[] = [];
  private readonly buses: LocalEventBus[] = [];

  async home(): Promise<string> {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), 'local-bus-'));
    this.homes.push(home);
    return home;
  }

  async open(options: Partial<LocalEventBusOptions> & { home?: string } = {}): Promise<LocalEventBus> {
    const bus = await LocalEventBus.open({ backoffBaseMs: 2, backoffMaxMs: 20, ...options, home: options.home ?? (await this.home()) });
    this.buses.push(bus);
    return bus;
  }

  async cleanup(): Promise<void> {
    for (const bus of this.buses.splice(0)) await bus.close();
    for (const home of this.homes.splice(0)) await fs.rm(home, { recursive: true, force: true });
  }
}

/** A PutEvents entry on the tributary bus. */
export function entry(source: string, detail: Record<string, unknown> = {}, detailType = 'Test Event') {
  return { Source: source, DetailType: detailType, Detail: JSON.stringify(detail), EventBusName: 'tributary' };
}

/** A loopback HTTP target that records what it receives (parsed JSON bodies, and the raw texts). */
export interface Consumer {
  readonly url: string;
  readonly received: Array<Record<string, unknown>>;
  readonly bodies: string[];
  readonly close: () => Promise<void>;
}

export async function startConsumer(): Promise<Consumer> {
  const received: Array<Record<string, unknown>> = [];
  const bodies: string[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      bodies.push(body);
      try {
        received.push(JSON.parse(body) as Record<string, unknown>);
      } catch {
        received.push({ text: body });
      }
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/consumer`,
    received,
    bodies,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
