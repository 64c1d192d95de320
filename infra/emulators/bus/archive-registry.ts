import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { EventEnvelopeSchema, type EventEnvelope } from '../../../contracts/envelope';
import { readJsonFile, writeJsonFileAtomic } from './atomic-json-file';
import { archiveArn, busArn } from './bus-arns';
import { BusResourceAlreadyExistsError, BusResourceNotFoundError } from './bus-errors';
import { compileRulePattern } from './rule-registry';
import { SegmentedLog } from './segmented-log';

const ArchiveSchema = z.object({
  name: z.string(),
  bus: z.string(),
  description: z.string().optional(),
  eventPattern: z.string().optional(),
  retentionDays: z.number(),
  createdAt: z.string(),
});
const ArchivesFileSchema = z.object({ version: z.literal(1), archives: z.array(ArchiveSchema) });
const ArchiveRecordSchema = z.object({ at: z.number(), ev: EventEnvelopeSchema });

/** An archive's definition as persisted in `<home>/bus/archives.json`. */
export type ArchiveDefinition = z.infer<typeof ArchiveSchema>;

/** An archive with its open log, matcher and counters. */
export interface OpenArchive extends ArchiveDefinition {
  readonly arn: string;
  readonly matches: (event: EventEnvelope) => boolean;
  readonly log: SegmentedLog;
  eventCount: number;
  sizeBytes: number;
}

const DAY_MS = 86_400_000;

/**
 * The archives of the local buses. Definitions live in `<home>/bus/archives.json`; each archive's
 * events in its own {@link SegmentedLog} under `<home>/bus/archives/<name>/`, one record
 * `{"at": ingestion ms, "ev": envelope}` per archived event, written in the same durable step that
 * accepts the event. Retention (days, 0 = forever) is enforced on open (whole expired segments are
 * deleted) and on read (expired records are skipped).
 */
export class ArchiveRegistry {
  private readonly archives = new Map<string, OpenArchive>();
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    private readonly busDir: string,
    private readonly now: () => number,
  ) {}

  /** Opens every archive under `busDir`, counting its events and dropping expired segments. */
  static async open(busDir: string, now: () => number): Promise<ArchiveRegistry> {
    const registry = new ArchiveRegistry(busDir, now);
    const raw = await readJsonFile(path.join(busDir, 'archives.json'));
    for (const definition of raw === undefined ? [] : ArchivesFileSchema.parse(raw).archives) await registry.load(definition);
    return registry;
  }

  /** Creates an archive of `bus`; its name must be new. */
  async create(definition: ArchiveDefinition): Promise<OpenArchive> {
    if (this.archives.has(definition.name)) throw new BusResourceAlreadyExistsError(`Archive ${definition.name} already exists.`);
    if (definition.eventPattern !== undefined) compileRulePattern(definition.eventPattern);
    const archive = await this.load(definition);
    await this.persist();
    return archive;
  }

  /** UpdateArchive: changes the description, pattern (events archived from now on) or retention. */
  async update(name: string, changes: { readonly description?: string; readonly eventPattern?: string; readonly retentionDays?: number }): Promise<OpenArchive> {
    const archive = this.require(name);
    const matches = changes.eventPattern === undefined ? archive.matches : compileRulePattern(changes.eventPattern).matches;
    const updated: OpenArchive = {
      ...archive,
      description: changes.description ?? archive.description,
      eventPattern: changes.eventPattern ?? archive.eventPattern,
      retentionDays: changes.retentionDays ?? archive.retentionDays,
      matches,
    };
    this.archives.set(name, updated);
    await this.persist();
    return updated;
  }

  /** DeleteArchive: forgets the archive and deletes its events. */
  async delete(name: string): Promise<void> {
    const archive = this.require(name);
    this.archives.delete(name);
    await this.persist();
    await archive.log.close();
    await fs.rm(archive.log.directory, { recursive: true, force: true });
  }

  /** The archive `name`, or `ResourceNotFoundException`. */
  require(name: string): OpenArchive {
    const archive = this.archives.get(name);
    if (archive === undefined) throw new BusResourceNotFoundError(`Archive ${name} does not exist.`);
    return archive;
  }

  /** An archive by name. */
  get(name: string): OpenArchive | undefined {
    return this.archives.get(name);
  }

  /** All archives, sorted by name. */
  list(): OpenArchive[] {
    return [...this.archives.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The archives of `bus` that `event` belongs in (replayed events are never archived: callers skip them). */
  matching(bus: string, event: EventEnvelope): OpenArchive[] {
    return [...this.archives.values()].filter((archive) => archive.bus === bus && archive.matches(event));
  }

  /** Appends one event's archive record (the record text is prebuilt by the caller). */
  async append(archive: OpenArchive, records: readonly string[]): Promise<void> {
    await archive.log.append(records);
    archive.eventCount += records.length;
    for (const record of records) archive.sizeBytes += Buffer.byteLength(record, 'utf8') + 1;
  }

  /** Reads the archive's unexpired events, in archive order. */
  async read(archive: OpenArchive, onEvent: (event: EventEnvelope) => void): Promise<void> {
    const cutoff = archive.retentionDays === 0 ? -Infinity : this.now() - archive.retentionDays * DAY_MS;
    await SegmentedLog.read(archive.log.directory, (raw) => {
      const record = ArchiveRecordSchema.safeParse(raw);
      if (record.success && record.data.at >= cutoff) onEvent(record.data.ev);
    });
  }

  /** Closes every archive log. */
  async close(): Promise<void> {
    for (const archive of this.archives.values()) await archive.log.close();
  }

  private async load(definition: ArchiveDefinition): Promise<OpenArchive> {
    const dir = path.join(this.busDir, 'archives', definition.name);
    const cutoff = definition.retentionDays === 0 ? -Infinity : this.now() - definition.retentionDays * DAY_MS;
    const newest = new Map<number, number>();
    let eventCount = 0;
    let sizeBytes = 0;
    await SegmentedLog.read(dir, (raw, segment) => {
      const record = ArchiveRecordSchema.safeParse(raw);
      if (!record.success) return;
      newest.set(segment, Math.max(newest.get(segment) ?? -Infinity, record.data.at));
      if (record.data.at < cutoff) return;
      eventCount += 1;
      sizeBytes += JSON.stringify(raw).length + 1;
    });
    await fs.mkdir(dir, { recursive: true });
    const log = await SegmentedLog.open(dir);
    for (const [segment, at] of newest) if (at < cutoff) await log.deleteSegment(segment);
    const matches = definition.eventPattern === undefined ? () => true : compileRulePattern(definition.eventPattern).matches;
    const archive: OpenArchive = { ...definition, arn: archiveArn(definition.name), matches, log, eventCount, sizeBytes };
    this.archives.set(definition.name, archive);
    return archive;
  }

  private persist(): Promise<void> {
    const write = this.writes
      .catch(() => undefined)
      .then(() =>
        writeJsonFileAtomic(path.join(this.busDir, 'archives.json'), {
          version: 1,
          archives: [...this.archives.values()].map(({ name, bus, description, eventPattern, retentionDays, createdAt }) => ({ name, bus, description, eventPattern, retentionDays, createdAt })),
        }),
      );
    this.writes = write;
    return write;
  }

  /** The source ARN an archive reports (its bus's ARN). */
  static sourceArn(archive: ArchiveDefinition): string {
    return busArn(archive.bus);
  }
}
