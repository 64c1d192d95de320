import { ArchiveRegistry, type OpenArchive } from './archive-registry';
import { LOCAL_ACCOUNT, archiveNameOf, busArn, busNameOf, replayArn } from './bus-arns';
import { BusResourceNotFoundError, BusValidationError } from './bus-errors';
import { BusResourceApi } from './bus-resource-api';
import type { EventBusRegistry } from './event-bus-registry';
import { page } from './paging';
import {
  ListReplaysInputSchema,
  ListTargetsByRuleInputSchema,
  RuleState,
  RuleStateInputSchema,
  UpdateArchiveInputSchema,
  type ListReplaysInput,
  type ListTargetsByRuleInput,
  type RuleStateInput,
  type UpdateArchiveInput,
  ArchiveRefInputSchema,
  CreateArchiveInputSchema,
  ListArchivesInputSchema,
  ListRulesInputSchema,
  PutRuleInputSchema,
  PutTargetsInputSchema,
  RemoveTargetsInputSchema,
  ReplayRefInputSchema,
  RuleRefInputSchema,
  StartReplayInputSchema,
  type ArchiveRefInput,
  type CreateArchiveInput,
  type ListArchivesInput,
  type ListRulesInput,
  type PutRuleInput,
  type PutTargetsInput,
  type RemoveTargetsInput,
  type ReplayRefInput,
  type RuleRefInput,
  type StartReplayInput,
} from './bus-api-schemas';
import type { DeadLetterQueues } from './dead-letter-queues';
import type { DeadLetterMessage } from './log-records';
import { parseInput } from './parse-input';
import { ReplayState, type Replay, type ReplayRegistry } from './replay-registry';
import type { BusTarget, CompiledRule, RuleRegistry } from './rule-registry';

function describeRuleOf(rule: CompiledRule) {
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: rule.eventPattern,
    ScheduleExpression: rule.scheduleExpression,
    State: rule.state,
    Description: rule.description,
    ManagedBy: rule.managedBy,
    EventBusName: rule.eventBusName,
  };
}

function describeTargetOf(target: BusTarget) {
  const transformer = target.inputTransformer;
  return {
    Id: target.id,
    Arn: target.arn,
    RetryPolicy: { MaximumRetryAttempts: target.retryPolicy.maximumRetryAttempts, MaximumEventAgeInSeconds: target.retryPolicy.maximumEventAgeInSeconds },
    DeadLetterConfig: target.deadLetterQueue === undefined ? undefined : { Arn: `arn:aws:sqs:us-east-1:${LOCAL_ACCOUNT}:${target.deadLetterQueue}` },
    Input: target.input,
    InputPath: target.inputPath,
    InputTransformer: transformer === undefined ? undefined : { InputPathsMap: transformer.inputPathsMap, InputTemplate: transformer.inputTemplate },
  };
}

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
 * The EventBridge management operations of the local bus (rules, targets, archives, replays; buses
 * and tags in {@link BusResourceApi}) plus DLQ inspection, taking and returning EventBridge's request
 * and response shapes so the JSON endpoint is a thin translation. Every input is validated as AWS
 * does and errors are `BusError`s. List operations page with Limit and NextToken.
 */
export abstract class BusManagementApi extends BusResourceApi {
  protected constructor(
    buses: EventBusRegistry,
    rules: RuleRegistry,
    protected readonly archives: ArchiveRegistry,
    protected readonly deadLetters: DeadLetterQueues,
    clock: () => Date,
  ) {
    super(buses, rules, clock);
  }

  /** The replay registry (created after the bus, which runs replays). */
  protected abstract replays(): ReplayRegistry;

  /** Runs a newly created replay in the background. */
  protected abstract launchReplay(name: string): void;

  /**
   * PutRule: creates or updates a rule; its targets are kept. `managedBy` is for the pipeline's own
   * rules: it marks them managed, so API callers cannot change or delete them (ManagedRuleException).
   */
  async putRule(input: PutRuleInput, options: { readonly managedBy?: string } = {}): Promise<{ RuleArn: string }> {
    return { RuleArn: await this.rules.putRule(parseInput(PutRuleInputSchema, input), options) };
  }

  /** PutTargets: adds or replaces targets of a rule (`managedBy` as for {@link putRule}). */
  async putTargets(input: PutTargetsInput, options: { readonly managedBy?: string } = {}): Promise<{ FailedEntryCount: number; FailedEntries: never[] }> {
    await this.rules.putTargets(parseInput(PutTargetsInputSchema, input), options);
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  /** EnableRule. */
  async enableRule(input: RuleStateInput): Promise<Record<string, never>> {
    const request = parseInput(RuleStateInputSchema, input);
    await this.rules.setState(request.Name, request.EventBusName, RuleState.Enabled);
    return {};
  }

  /** DisableRule: the rule stops matching (and firing, for a schedule) until enabled again. */
  async disableRule(input: RuleStateInput): Promise<Record<string, never>> {
    const request = parseInput(RuleStateInputSchema, input);
    await this.rules.setState(request.Name, request.EventBusName, RuleState.Disabled);
    return {};
  }

  /** RemoveTargets: unknown ids come back as failed entries. Pending deliveries to removed targets are dropped. */
  async removeTargets(input: RemoveTargetsInput): Promise<{ FailedEntryCount: number; FailedEntries: Array<{ TargetId: string; ErrorCode: string; ErrorMessage: string }> }> {
    const request = parseInput(RemoveTargetsInputSchema, input);
    const missing = await this.rules.removeTargets(request.Rule, request.EventBusName, request.Ids, request.Force ?? false);
    const FailedEntries = missing.map((id) => ({ TargetId: id, ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Target ${id} does not exist on rule ${request.Rule}.` }));
    return { FailedEntryCount: FailedEntries.length, FailedEntries };
  }

  /** DeleteRule: refuses while the rule has targets (unless Force). */
  async deleteRule(input: RuleRefInput): Promise<Record<string, never>> {
    const request = parseInput(RuleRefInputSchema, input);
    await this.rules.deleteRule(this.ruleName(request), request.EventBusName, request.Force ?? false);
    return {};
  }

  /** DescribeRule. */
  async describeRule(input: RuleRefInput): Promise<ReturnType<typeof describeRuleOf> & { CreatedBy: string }> {
    const request = parseInput(RuleRefInputSchema, input);
    return { ...describeRuleOf(this.rules.require(this.ruleName(request), request.EventBusName)), CreatedBy: LOCAL_ACCOUNT };
  }

  /** ListRules of a bus (default `default`), by name prefix, paged; pipeline rules carry `ManagedBy`. */
  async listRules(input: ListRulesInput = {}): Promise<{ Rules: Array<ReturnType<typeof describeRuleOf>>; NextToken?: string }> {
    const request = parseInput(ListRulesInputSchema, input);
    const rules = this.rules.list(this.rules.requireBus(request.EventBusName), request.NamePrefix);
    const { items, NextToken } = page(rules, (rule) => rule.name, request.Limit, request.NextToken);
    return { Rules: items.map(describeRuleOf), NextToken };
  }

  /** ListTargetsByRule, paged by target id. */
  async listTargetsByRule(input: ListTargetsByRuleInput): Promise<{ Targets: Array<ReturnType<typeof describeTargetOf>>; NextToken?: string }> {
    const request = parseInput(ListTargetsByRuleInputSchema, input);
    const rule = this.rules.require(request.Rule, request.EventBusName);
    const targets = [...rule.targets].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const { items, NextToken } = page(targets, (target) => target.id, request.Limit, request.NextToken);
    return { Targets: items.map(describeTargetOf), NextToken };
  }

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

  /** The local DLQs and their depths. */
  listDeadLetterQueues(): Array<{ readonly queue: string; readonly depth: number }> {
    return this.deadLetters.depths();
  }

  /** The messages of one DLQ, oldest first. */
  listDeadLetterMessages(queue: string): DeadLetterMessage[] {
    return this.deadLetters.list(queue);
  }

  private ruleName(request: { readonly Name?: string; readonly Rule?: string }): string {
    const name = request.Name ?? request.Rule;
    if (name === undefined) throw new BusValidationError("1 validation error detected: 'Name' is required");
    return name;
  }
}
