import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalEventBus, type LocalEventBusOptions } from '../../../../infra/local/bus/local-event-bus';

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
