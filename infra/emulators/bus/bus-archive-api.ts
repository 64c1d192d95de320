import { ArchiveRegistry, type OpenArchive } from './archive-registry';
import { archiveNameOf, busArn, busNameOf, replayArn } from './bus-arns';
import { BusResourceNotFoundError, BusValidationError } from './bus-errors';
import { BusResourceApi } from './bus-resource-api';
import type { EventBusRegistry } from './event-bus-registry';
import { page } from './paging';
import {
  ArchiveRefInputSchema,
  CreateArchiveInputSchema,
  ListArchivesInputSchema,
  ListReplaysInputSchema,
  ReplayRefInputSchema,
  StartReplayInputSchema,
  UpdateArchiveInputSchema,
  type ArchiveRefInput,
  type CreateArchiveInput,
  type ListArchivesInput,
  type ListReplaysInput,
  type ReplayRefInput,
  type StartReplayInput,
  type UpdateArchiveInput,
} from './bus-api-schemas';
import { parseInput } from './parse-input';
import { ReplayState, type Replay, type ReplayRegistry } from './replay-registry';
import type { RuleRegistry } from './rule-registry';

function describeArchiveOf(archive: OpenArchive) {
  return {
    ArchiveName: archive.name,
    ArchiveArn: archive.arn,
    EventSourceArn: ArchiveRegistry.sourceArn(archive),
    Description: archive.description,
    EventPattern: archive.eventPattern,
    State: 'ENABLED',
    RetentionDays: archive.retentionDays,
    SizeBytes: archive.sizeBytes,
    EventCount: archive.eventCount,
    CreationTime: new Date(archive.createdAt),
  };
}

function describeReplayOf(replay: Replay) {
  return {
    ReplayName: replay.name,
    ReplayArn: replayArn(replay.name),
    Description: replay.description,
    State: replay.state,
    StateReason: replay.stateReason,
    EventSourceArn: replay.eventSourceArn,
    Destination: { Arn: replay.destinationArn, FilterArns: replay.filterArns },
    EventStartTime: new Date(replay.eventStartTime),
    EventEndTime: new Date(replay.eventEndTime),
    EventLastReplayedTime: replay.eventLastReplayedTime === undefined ? undefined : new Date(replay.eventLastReplayedTime),
    ReplayStartTime: new Date(replay.replayStartTime),
    ReplayEndTime: replay.replayEndTime === undefined ? undefined : new Date(replay.replayEndTime),
  };
}

/**
 * The EventBridge operations of the local bus on archives and replays, in EventBridge's request and
 * response shapes; the bus around it runs the replays.
 */
export abstract class BusArchiveApi extends BusResourceApi {
  protected constructor(
    buses: EventBusRegistry,
    rules: RuleRegistry,
    protected readonly archives: ArchiveRegistry,
    clock: () => Date,
  ) {
    super(buses, rules, clock);
  }

  /** The replay registry (created after the bus, which runs replays). */
  protected abstract replays(): ReplayRegistry;

  /** Runs a newly created replay in the background. */
  protected abstract launchReplay(name: string): void;

  /** CreateArchive of a bus (by ARN); RetentionDays 0 (default) keeps events forever. */
  async createArchive(input: CreateArchiveInput): Promise<{ ArchiveArn: string; State: string; CreationTime: Date }> {
    const request = parseInput(CreateArchiveInputSchema, input);
    const bus = this.rules.requireBus(busNameOf(request.EventSourceArn));
    const archive = await this.archives.create({
      name: request.ArchiveName,
      bus,
      description: request.Description,
      eventPattern: request.EventPattern,
      retentionDays: request.RetentionDays ?? 0,
      createdAt: this.clock().toISOString(),
    });
    return { ArchiveArn: archive.arn, State: 'ENABLED', CreationTime: new Date(archive.createdAt) };
  }

  /** DescribeArchive. */
  async describeArchive(input: ArchiveRefInput): Promise<ReturnType<typeof describeArchiveOf>> {
    const request = parseInput(ArchiveRefInputSchema, input);
    const archive = this.archives.get(request.ArchiveName);
    if (archive === undefined) throw new BusResourceNotFoundError(`Archive ${request.ArchiveName} does not exist.`);
    return describeArchiveOf(archive);
  }

  /** ListArchives, filtered by name prefix, source bus ARN and state, paged. */
  async listArchives(input: ListArchivesInput = {}): Promise<{ Archives: Array<ReturnType<typeof describeArchiveOf>>; NextToken?: string }> {
    const request = parseInput(ListArchivesInputSchema, input);
    const archives = this.archives
      .list()
      .map(describeArchiveOf)
      .filter((archive) => archive.ArchiveName.startsWith(request.NamePrefix ?? ''))
      .filter((archive) => request.EventSourceArn === undefined || archive.EventSourceArn === busArn(busNameOf(request.EventSourceArn)))
      .filter((archive) => request.State === undefined || archive.State === request.State);
    const { items, NextToken } = page(archives, (archive) => archive.ArchiveName, request.Limit, request.NextToken);
    return { Archives: items, NextToken };
  }

  /** UpdateArchive: description, pattern (for events archived from now on) or retention. */
  async updateArchive(input: UpdateArchiveInput): Promise<{ ArchiveArn: string; State: string; CreationTime: Date }> {
    const request = parseInput(UpdateArchiveInputSchema, input);
    if (request.Description === undefined && request.EventPattern === undefined && request.RetentionDays === undefined) {
      throw new BusValidationError('At least one of EventPattern, RetentionDays or Description must be provided.');
    }
    const archive = await this.archives.update(request.ArchiveName, { description: request.Description, eventPattern: request.EventPattern, retentionDays: request.RetentionDays });
    return { ArchiveArn: archive.arn, State: 'ENABLED', CreationTime: new Date(archive.createdAt) };
  }

  /** DeleteArchive: the archive and its events. */
  async deleteArchive(input: ArchiveRefInput): Promise<Record<string, never>> {
    const request = parseInput(ArchiveRefInputSchema, input);
    await this.archives.delete(request.ArchiveName);
    return {};
  }

  /**
   * StartReplay: re-sends the archive's events whose event `time` is in the half-open window
   * [EventStartTime, EventEndTime) to the archive's bus, matched against the current rules (only
   * those in FilterArns when given), with `replay-name` added and the original `id` and `time` kept.
   */
  async startReplay(input: StartReplayInput): Promise<{ ReplayArn: string; State: string; ReplayStartTime: Date }> {
    const request = parseInput(StartReplayInputSchema, input);
    if (request.EventStartTime.getTime() >= request.EventEndTime.getTime()) {
      throw new BusValidationError('Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.');
    }
    const archiveName = archiveNameOf(request.EventSourceArn) ?? request.EventSourceArn;
    const archive = this.archives.get(archiveName);
    if (archive === undefined) throw new BusValidationError(`Parameter EventSourceArn is not valid. Reason: Archive ${archiveName} does not exist.`);
    const bus = this.rules.requireBus(busNameOf(request.Destination.Arn));
    if (bus !== archive.bus) throw new BusValidationError('Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.');
    const replay = await this.replays().create({
      name: request.ReplayName,
      description: request.Description,
      archiveName,
      eventSourceArn: archive.arn,
      destinationArn: busArn(bus),
      filterArns: request.Destination.FilterArns,
      eventStartTime: request.EventStartTime.toISOString(),
      eventEndTime: request.EventEndTime.toISOString(),
      state: ReplayState.Starting,
      replayStartTime: this.clock().toISOString(),
    });
    this.launchReplay(replay.name);
    return { ReplayArn: replayArn(replay.name), State: replay.state, ReplayStartTime: new Date(replay.replayStartTime) };
  }

  /** ListReplays, by name prefix, state and archive ARN, paged. */
  async listReplays(input: ListReplaysInput = {}): Promise<{ Replays: Array<Omit<ReturnType<typeof describeReplayOf>, 'Destination' | 'Description' | 'ReplayArn'>>; NextToken?: string }> {
    const request = parseInput(ListReplaysInputSchema, input);
    const replays = this.replays()
      .list()
      .filter((replay) => replay.name.startsWith(request.NamePrefix ?? ''))
      .filter((replay) => request.State === undefined || replay.state === request.State)
      .filter((replay) => request.EventSourceArn === undefined || replay.eventSourceArn === request.EventSourceArn);
    const { items, NextToken } = page(replays, (replay) => replay.name, request.Limit, request.NextToken);
    const Replays = items.map((replay) => {
      const { Destination: _destination, Description: _description, ReplayArn: _arn, ...summary } = describeReplayOf(replay);
      return summary;
    });
    return { Replays, NextToken };
  }

  /** CancelReplay: a STARTING or RUNNING replay stops re-sending (CANCELLING, then CANCELLED). */
  async cancelReplay(input: ReplayRefInput): Promise<{ ReplayArn: string; State: string; StateReason?: string }> {
    const request = parseInput(ReplayRefInputSchema, input);
    const replay = await this.replays().cancel(request.ReplayName);
    return { ReplayArn: replayArn(replay.name), State: replay.state };
  }

  /** DescribeReplay. */
  async describeReplay(input: ReplayRefInput): Promise<ReturnType<typeof describeReplayOf>> {
    const request = parseInput(ReplayRefInputSchema, input);
    const replay = this.replays().get(request.ReplayName);
    if (replay === undefined) throw new BusResourceNotFoundError(`Replay ${request.ReplayName} does not exist.`);
    return describeReplayOf(replay);
  }
}
