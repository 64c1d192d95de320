import * as path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFileAtomic } from './atomic-json-file';
import { busNameOf } from './bus-arns';
import { BusResourceAlreadyExistsError, BusResourceNotFoundError, BusValidationError } from './bus-errors';

const BusSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  createdAt: z.string(),
  modifiedAt: z.string(),
  tags: z.record(z.string(), z.string()).default({}),
});
const BusesFileSchema = z.object({ version: z.literal(1), buses: z.array(BusSchema) });

/** An event bus as the local bus keeps it (`<home>/bus/buses.json`). */
export type EventBusRecord = z.infer<typeof BusSchema>;

/**
 * The event buses of the local EventBridge: the built-in ones (`default` and the pipeline's), which
 * always exist and cannot be deleted, plus the custom buses users create with CreateEventBus,
 * persisted with their description and tags.
 */
export class EventBusRegistry {
  private readonly buses = new Map<string, EventBusRecord>();
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly builtIn: ReadonlySet<string>,
  ) {}

  /** Loads `busDir`'s custom buses beside the built-in ones, created at `now` if not yet recorded. */
  static async open(busDir: string, builtIn: ReadonlySet<string>, now: Date): Promise<EventBusRegistry> {
    const registry = new EventBusRegistry(path.join(busDir, 'buses.json'), builtIn);
    const raw = await readJsonFile(registry.file);
    for (const bus of raw === undefined ? [] : BusesFileSchema.parse(raw).buses) registry.buses.set(bus.name, bus);
    for (const name of builtIn) if (!registry.buses.has(name)) registry.buses.set(name, { name, createdAt: now.toISOString(), modifiedAt: now.toISOString(), tags: {} });
    return registry;
  }

  /** Whether a bus of that name exists. */
  has(name: string): boolean {
    return this.buses.has(name);
  }

  /** The bus named (or by ARN; `default` when absent), or `ResourceNotFoundException`. */
  require(nameOrArn: string | undefined): EventBusRecord {
    const name = busNameOf(nameOrArn);
    const bus = this.buses.get(name);
    if (bus === undefined) throw new BusResourceNotFoundError(`Event bus ${name} does not exist.`);
    return bus;
  }

  /** Every bus, sorted by name. */
  list(): EventBusRecord[] {
    return [...this.buses.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** CreateEventBus: names are 1-256 of `[/.-_A-Za-z0-9]`, new, and not `aws.`-prefixed (partner buses). */
  async create(name: string, description: string | undefined, tags: Readonly<Record<string, string>>, now: Date): Promise<EventBusRecord> {
    if (!/^[/.\-_A-Za-z0-9]{1,256}$/.test(name)) {
      throw new BusValidationError(`1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+`);
    }
    if (name.startsWith('aws.')) throw new BusValidationError(`Event source ${name} does not exist.`);
    if (this.buses.has(name)) throw new BusResourceAlreadyExistsError(`Event bus ${name} already exists.`);
    const bus: EventBusRecord = { name, description, createdAt: now.toISOString(), modifiedAt: now.toISOString(), tags: { ...tags } };
    this.buses.set(name, bus);
    await this.persist();
    return bus;
  }

  /** DeleteEventBus: built-in buses are refused; an unknown name is a no-op, as on AWS. */
  async delete(name: string): Promise<boolean> {
    if (this.builtIn.has(name)) throw new BusValidationError(`Cannot delete event bus ${name}.`);
    if (!this.buses.delete(name)) return false;
    await this.persist();
    return true;
  }

  /** Replaces a bus's tags. */
  async setTags(name: string, tags: Readonly<Record<string, string>>, now: Date): Promise<void> {
    const bus = this.require(name);
    this.buses.set(name, { ...bus, tags: { ...tags }, modifiedAt: now.toISOString() });
    await this.persist();
  }

  private persist(): Promise<void> {
    const write = this.writes.catch(() => undefined).then(() => writeJsonFileAtomic(this.file, { version: 1, buses: this.list() }));
    this.writes = write;
    return write;
  }
}
