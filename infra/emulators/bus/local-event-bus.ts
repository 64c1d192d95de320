import * as path from 'node:path';
import type { EventEnvelope } from '../../../contracts/envelope';
import type { EventBusTransport, PutEventsEntry, PutEventsResponse, PutEventsResultEntry } from '../../../events/put-events';
import { ActivityTracker } from './activity-tracker';
import { ArchiveRegistry, type OpenArchive } from './archive-registry';
import { BusManagementApi } from './bus-management-api';
import { recoverBusLogs, type RecoveredState } from './bus-recovery';
import { DeliveryDispatcher } from './delivery-dispatcher';
import { EventFeed, type AcceptedEvent, type AcceptedEventListener } from './event-feed';
import type { DeadLetterMessage, EventRecord } from './log-records';
import { DEFAULT_MAX_REQUEST_BYTES, buildEnvelope, exactView, validatePutEventsRequest } from './put-events-entries';
import { readReplayWindow } from './replay-window';
import { ReplayRegistry, type Replay } from './replay-registry';
import { RuleRegistry } from './rule-registry';
import { SegmentLedger } from './segment-ledger';
import { SegmentedLog } from './segmented-log';
import { TargetInvoker, type DeliveryOutcome, type StageHandler } from './target-invoker';
import { BusInternalError, BusResourceNotFoundError } from './bus-errors';
import { EventBusRegistry } from './event-bus-registry';
import { renderTargetInput } from './input-transformer';
import { RuleScheduler } from './rule-scheduler';
import type { BusTarget } from './rule-registry';
import type { Delivery } from './delivery-dispatcher';

/** How a {@link LocalEventBus} is configured; everything but `home` has a production default. */
export interface LocalEventBusOptions {
  /** The Tributary home; the bus keeps its state in `<home>/bus/`. */
  readonly home: string;
  /** Bus names that exist (default `default` and `tributary`). */
  readonly buses?: readonly string[];
  /** PutEvents request size limit in bytes (default 256 KiB). */
  readonly maxRequestBytes?: number;
  /** Deliveries in flight at once (default 64). */
  readonly concurrency?: number;
  /** First retry delay before jitter (default 1000 ms); doubles per attempt. */
  readonly backoffBaseMs?: number;
  /** Cap on one retry delay (default 60 000 ms). */
  readonly backoffMaxMs?: number;
  /** HTTP target timeout (default 5000 ms). */
  readonly httpTimeoutMs?: number;
  /** Event-log segment size (default 16 MiB). */
  readonly segmentBytes?: number;
  /** Clock (ms since epoch); injectable so tests can age events. */
  readonly now?: () => number;
}

/** One item to ingest on a bus. */
interface Ingestion {
  readonly bus: string;
  readonly event: EventEnvelope;
  /** The event as rules and archives match it, when its detail holds numbers a double cannot (exact digits kept). */
  readonly view?: EventEnvelope;
  /** Replays: match only these rules. */
  readonly filterArns?: ReadonlySet<string>;
  /** Redrives and schedules: owe exactly these [ruleArn, targetId] deliveries, without matching or archiving. */
  readonly only?: ReadonlyArray<readonly [string, string]>;
}

/**
 * The local EventBridge: PutEvents with AWS's limits and per-entry results, rules compiled with the
 * pattern engine, durable at-least-once delivery with retries and DLQs, archives and replays.
 *
 * Durability: `putEvents` resolves only after its events are in the event log, fsync'd and
 * group-committed with concurrent calls, together with the deliveries each owes and its archive
 * records. Deliveries settle in the journal; on open, every owed and unsettled delivery is resumed.
 * On disk, under `<home>/bus/`:
 * - `events/`, `journal/`: segmented logs (format in `segmented-log.ts`, records in `log-records.ts`);
 *   settled event segments are deleted as they empty, the journal is compacted on open;
 * - `archives/<name>/`: one segmented log per archive (`archive-registry.ts`);
 * - `rules.json`, `archives.json`, `replays.json`: definitions, replaced atomically on each change;
 * - DLQ messages live in the journal (`dlq` / `del` records).
 * Delivery starts with {@link start}, so the runtime can register stage handlers first.
 */
export class LocalEventBus extends BusManagementApi implements EventBusTransport {
  private readonly feed = new EventFeed();
  private readonly ledger: SegmentLedger;
  private nextSeq: number;
  private readonly running = new Set<Promise<void>>();
  private closed = false;
  private started = false;
  private readonly deferredReplays: string[] = [];
  private scheduler: RuleScheduler | undefined;

  private readonly activity = new ActivityTracker();
  private readonly invoker: TargetInvoker;
  private readonly dispatcher: DeliveryDispatcher;

  private constructor(
    private readonly options: LocalEventBusOptions,
    buses: EventBusRegistry,
    rules: RuleRegistry,
    archives: ArchiveRegistry,
    private readonly replayRegistry: ReplayRegistry,
    recovered: RecoveredState,
    private readonly eventLog: SegmentedLog,
    private readonly journalLog: SegmentedLog,
  ) {
    super(buses, rules, archives, recovered.deadLetters, () => new Date(this.now()));
    this.ledger = new SegmentLedger(eventLog, recovered.outstanding);
    this.nextSeq = recovered.nextSeq;
    const concurrency = options.concurrency ?? 64;
    this.invoker = new TargetInvoker((bus, event) => this.ingest([{ bus, event }]), options.httpTimeoutMs ?? 5000, concurrency);
    this.dispatcher = new DeliveryDispatcher({
      target: (ruleArn, targetId) => rules.target(ruleArn, targetId),
      invoke: (target, delivery) => this.deliver(target, delivery),
      journal: (record) => journalLog.append([JSON.stringify(record)]),
      deadLetters: recovered.deadLetters,
      activity: this.activity,
      settled: (delivery) => this.ledger.settle(delivery.segment),
      now: () => this.now(),
      random: Math.random,
      concurrency,
      backoffBaseMs: options.backoffBaseMs ?? 1000,
      backoffMaxMs: options.backoffMaxMs ?? 60_000,
    });
  }

  /** Opens the bus in `<home>/bus/`, recovering every pending delivery (delivery waits for {@link start}). */
  static async open(options: LocalEventBusOptions): Promise<LocalEventBus> {
    const busDir = path.join(options.home, 'bus');
    const eventsDir = path.join(busDir, 'events');
    const journalDir = path.join(busDir, 'journal');
    const recovered = await recoverBusLogs(eventsDir, journalDir);
    const buses = await EventBusRegistry.open(busDir, new Set(options.buses ?? ['default', 'tributary']), new Date((options.now ?? Date.now)()));
    const rules = await RuleRegistry.open(busDir, buses);
    const bus = new LocalEventBus(
      options,
      buses,
      rules,
      await ArchiveRegistry.open(busDir, options.now ?? Date.now),
      await ReplayRegistry.open(busDir),
      recovered,
      await SegmentedLog.open(eventsDir, { segmentBytes: options.segmentBytes }),
      await SegmentedLog.open(journalDir, { segmentBytes: options.segmentBytes }),
    );
    for (const delivery of recovered.pending) bus.dispatcher.enqueue(delivery);
    for (const replay of bus.replayRegistry.interrupted()) bus.launchReplay(replay.name);
    bus.scheduler = await RuleScheduler.open(busDir, {
      rules: () => rules.scheduled(),
      fire: (rule, event) => bus.ingest([{ bus: rule.eventBusName, event, only: rule.targets.map((target) => [rule.arn, target.id] as const) }]),
      now: () => bus.now(),
    });
    return bus;
  }

  /**
   * Starts delivering (recovered deliveries first), running replays and firing schedule rules (a
   * schedule missed while the bus was closed fires once now). Register stage handlers before: a
   * delivery to a stage with no handler fails as NO_RESOURCE, which is not retried (as for a deleted
   * AWS target).
   */
  start(): void {
    this.started = true;
    this.dispatcher.start();
    for (const name of this.deferredReplays.splice(0)) this.launchReplay(name);
    this.scheduler?.start();
  }

  /**
   * Fires the schedule rules due at the bus clock's now (the clock is injectable, so tests need not
   * wait for real minutes); resolves with how many fired, once their events are durable.
   */
  runSchedules(): Promise<number> {
    return this.scheduler?.tick() ?? Promise.resolve(0);
  }

  /** Registers the in-process handler of a stage (target ARN `arn:tributary:stage:<stageId>`). */
  registerStageHandler(stageId: string, handler: StageHandler): () => void {
    return this.invoker.registerStage(stageId, handler);
  }

  /**
   * EventBridge PutEvents: rejects the whole request for 0 or more than 10 entries or an oversize
   * request; otherwise answers per entry, in order. Resolves once the accepted events are on disk.
   */
  async putEvents(entries: readonly PutEventsEntry[]): Promise<PutEventsResponse> {
    validatePutEventsRequest(entries, this.options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES);
    const now = new Date(this.now());
    const results: PutEventsResultEntry[] = [];
    const ingestions: Ingestion[] = [];
    for (const entry of entries) {
      const outcome = buildEnvelope(entry, now);
      if (!outcome.ok) {
        results.push({ ErrorCode: outcome.errorCode, ErrorMessage: outcome.errorMessage });
        continue;
      }
      results.push({ EventId: outcome.event.id });
      if (this.rules.hasBus(outcome.busName)) ingestions.push({ bus: outcome.busName, event: outcome.event, view: exactView(outcome.event, entry.Detail) });
    }
    try {
      await this.ingest(ingestions);
    } catch (error) {
      throw new BusInternalError(`The events could not be written to the bus log: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return { FailedEntryCount: results.filter((result) => result.ErrorCode !== undefined).length, Entries: results };
  }

  /** Subscribes to accepted events (all buses, replays included); returns the unsubscribe function. */
  onEvent(listener: AcceptedEventListener): () => void {
    return this.feed.subscribe(listener);
  }

  /** Accepted events as an async iterator, until `signal` aborts. */
  events(signal?: AbortSignal): AsyncGenerator<AcceptedEvent> {
    return this.feed.iterate(signal);
  }

  /** Whether nothing is pending: no append, queued or in-flight delivery, scheduled retry or running replay. */
  isQuiescent(): boolean {
    return this.activity.idle;
  }

  /** Resolves once the bus is quiescent. */
  whenQuiescent(): Promise<void> {
    return this.activity.whenIdle();
  }

  /** Re-delivers a DLQ message to its original rule target, then removes it from the queue. */
  async redriveDeadLetterMessage(queue: string, messageId: string): Promise<void> {
    const message = this.requireDeadLetter(queue, messageId);
    const rule = this.rules.byRuleArn(message.attributes.RULE_ARN);
    if (rule === undefined || !rule.targets.some((target) => target.id === message.targetId)) {
      throw new BusResourceNotFoundError(`Target ${message.targetId} of rule ${message.attributes.RULE_ARN} no longer exists.`);
    }
    await this.ingest([{ bus: rule.eventBusName, event: message.event, only: [[rule.arn, message.targetId]] }]);
    await this.deleteDeadLetterMessage(queue, messageId);
  }

  /** Removes a DLQ message for good. */
  async deleteDeadLetterMessage(queue: string, messageId: string): Promise<void> {
    this.requireDeadLetter(queue, messageId);
    await this.journalLog.append([JSON.stringify({ t: 'del', q: queue, id: messageId })]);
    this.deadLetters.remove(queue, messageId);
  }

  /** Lets running replays finish, stops delivering, waits for in-flight attempts, closes the logs. Owed deliveries stay on disk. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.scheduler?.stop();
    await Promise.all(this.running);
    this.closed = true;
    this.ledger.close();
    this.dispatcher.stop();
    await this.dispatcher.drained();
    await this.replayRegistry.flush();
    this.invoker.close();
    await this.eventLog.close();
    await this.journalLog.close();
    await this.archives.close();
  }

  protected override replays(): ReplayRegistry {
    return this.replayRegistry;
  }

  protected override launchReplay(name: string): void {
    if (!this.started) {
      this.deferredReplays.push(name);
      return;
    }
    const run = this.activity.track(this.replayRegistry.run(name, (replay, cancelled) => this.runReplay(replay, cancelled)));
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** One delivery attempt: what the target receives is shaped by its Input, InputPath or InputTransformer. */
  private deliver(target: BusTarget, delivery: Delivery): Promise<DeliveryOutcome> {
    const context = { ruleArn: delivery.ruleArn, ruleName: this.rules.byRuleArn(delivery.ruleArn)?.name ?? '', ingestionTime: new Date(delivery.at).toISOString() };
    const rendered = renderTargetInput(target, delivery.event, context);
    // EventBridge silently drops a delivery whose template renders invalid JSON: settle it as done.
    if (rendered.kind === 'skip') return Promise.resolve({ ok: true });
    return this.invoker.invoke(target.arn, delivery.event, rendered.kind === 'text' ? rendered.text : undefined);
  }

  private requireDeadLetter(queue: string, messageId: string): DeadLetterMessage {
    const message = this.deadLetters.get(queue, messageId);
    if (message === undefined) throw new BusResourceNotFoundError(`Message ${messageId} does not exist in dead-letter queue ${queue}.`);
    return message;
  }

  /** Appends events with the deliveries they owe (and archive records), then queues the deliveries. */
  private async ingest(items: readonly Ingestion[]): Promise<void> {
    if (items.length === 0) return;
    this.activity.begin();
    this.ledger.beginIngest();
    try {
      const at = this.now();
      const records: EventRecord[] = [];
      const archived = new Map<OpenArchive, string[]>();
      for (const item of items) {
        const d: Array<[string, string]> = [];
        if (item.only !== undefined) for (const [ruleArn, targetId] of item.only) d.push([ruleArn, targetId]);
        else for (const rule of this.rules.match(item.bus, item.view ?? item.event, item.filterArns)) for (const target of rule.targets) d.push([rule.arn, target.id]);
        records.push({ s: this.nextSeq++, at, bus: item.bus, d, ev: item.event });
        if (item.event['replay-name'] !== undefined || item.only !== undefined) continue;
        for (const archive of this.archives.matching(item.bus, item.view ?? item.event)) {
          const lines = archived.get(archive) ?? [];
          lines.push(JSON.stringify({ at, ev: item.event }));
          archived.set(archive, lines);
        }
      }
      const [segment] = await Promise.all([
        this.eventLog.append(records.map((record) => JSON.stringify(record))),
        ...[...archived].map(([archive, lines]) => this.archives.append(archive, lines)),
      ]);
      this.track(segment, records);
      for (const record of records) this.feed.emit({ bus: record.bus, event: record.ev });
    } finally {
      this.ledger.endIngest();
      this.activity.end();
    }
  }

  private track(segment: number, records: readonly EventRecord[]): void {
    for (const record of records) {
      this.ledger.owe(segment, record.d.length);
      record.d.forEach(([ruleArn, targetId], index) => {
        this.dispatcher.enqueue({ seq: record.s, index, at: record.at, event: record.ev, ruleArn, targetId, attempts: 0, segment });
      });
    }
  }

  private async runReplay(replay: Replay, cancelled: () => boolean): Promise<string | undefined> {
    const batch = await readReplayWindow(this.archives, replay);
    for (let i = 0; i < batch.events.length && !cancelled(); i += 500) {
      await this.ingest(batch.events.slice(i, i + 500).map((event) => ({ bus: batch.bus, event, filterArns: batch.filterArns })));
    }
    return batch.lastEventTime;
  }
}
