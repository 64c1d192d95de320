import type { EventEnvelope } from '../../../../contracts/envelope';
import { PipelineError } from '../../../../contracts/pipeline-error';
import { compilePattern } from '../../../../events/pattern';
import type { EventBusTransport, PutEventsEntry, PutEventsResponse } from '../../../../events/put-events';
import { ruleTable, serviceForwardingPattern, type RuleRow } from '../../../../events/rules';
import type { TopologyNames } from '../../../../events/topology-names';
import type { StageDeps } from '../../../../handlers/stage-deps';
import { stages } from '../../../../handlers/stages';
import { buildEnvelope } from '../../../../infra/emulators/bus/put-events-entries';

/** The account and region of the events a service emits (moto's). */
export interface EventOrigin {
  readonly account: string;
  readonly region: string;
}

/** The envelope EventBridge would deliver for one PutEvents entry, from the given account and region. */
export function envelopeOf(entry: PutEventsEntry, origin: EventOrigin): EventEnvelope {
  const built = buildEnvelope(entry, new Date());
  if (!built.ok) throw new Error(`not an event: ${built.errorCode}: ${built.errorMessage}`);
  return { ...built.event, account: origin.account, region: origin.region };
}

/** A bus transport that keeps what a local service emits (its state-change events), for the driver to deliver. */
export class CapturedEvents implements EventBusTransport {
  private events: EventEnvelope[] = [];

  constructor(private readonly origin: EventOrigin) {}

  putEvents(entries: readonly PutEventsEntry[]): Promise<PutEventsResponse> {
    for (const entry of entries) this.events.push(envelopeOf(entry, this.origin));
    return Promise.resolve({ FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `captured-${this.events.length + i}` })) });
  }

  /** The events emitted since the last take. */
  take(): EventEnvelope[] {
    const taken = this.events;
    this.events = [];
    return taken;
  }
}

/** One delivery: a rule's stage invoked with an event, and how it ended. */
export interface Delivery {
  readonly rule: string;
  readonly detailType: string;
  readonly attempt: number;
  readonly error?: string;
}

/** Where the driver gets events from besides the ones it is given. */
export interface EventSources {
  /** The domain events the stages put on the bus since the last call (read back over the wire). */
  readonly domainEvents: () => Promise<EventEnvelope[]>;
  /**
   * Advances the services (queries, crawls, transform jobs) until each started job has ended, and
   * returns the state-change events they emitted (on the default bus); empty when nothing was running.
   */
  readonly serviceEvents: () => Promise<EventEnvelope[]>;
}

interface Pending {
  readonly row: RuleRow;
  readonly event: EventEnvelope;
  readonly attempt: number;
}

/**
 * EventBridge for the chain test: delivers each event to the stage of every row of the project's rule
 * table (`events/rules.ts`) whose pattern matches it; the deliveries owed at one moment run
 * concurrently, as EventBridge invokes targets. Service events arrive on the default bus and reach the
 * pipeline's bus only through the forwarding rule's pattern, as on AWS. A delivery whose stage throws a retryable error is retried after the services have advanced, up to
 * the row's maximum attempts; one that throws anything else, or runs out of attempts, is dead-lettered
 * (kept in `deadLettered`).
 */
export class ChainDriver {
  private readonly rows: ReadonlyArray<{ row: RuleRow; matches: (event: unknown) => boolean }>;
  private readonly forwards: (event: unknown) => boolean;
  private readonly pending: Pending[] = [];
  private retries: Pending[] = [];
  readonly deliveries: Delivery[] = [];
  readonly deadLettered: Delivery[] = [];
  readonly seen: EventEnvelope[] = [];

  constructor(
    private readonly names: TopologyNames,
    private readonly deps: StageDeps,
    private readonly sources: EventSources,
  ) {
    this.rows = ruleTable(names).map((row) => ({ row, matches: compilePattern(row.pattern) }));
    this.forwards = compilePattern(serviceForwardingPattern(names));
  }

  /** An event put on the default bus by an AWS service: forwarded to the pipeline's bus if the forwarding rule matches. */
  serviceEvent(event: EventEnvelope): void {
    this.seen.push(event);
    if (this.forwards(event)) this.route(event);
  }

  /** Delivers until nothing is left: no event pending, no service running, no retry owed. */
  async run(maxDeliveries = 200): Promise<void> {
    for (let count = 0; count < maxDeliveries; count++) {
      for (const event of await this.sources.domainEvents()) {
        this.seen.push(event);
        this.route(event);
      }
      if (this.pending.length > 0) {
        // Every delivery owed so far runs at once, as EventBridge invokes targets concurrently.
        const batch = this.pending.splice(0);
        count += batch.length - 1;
        await Promise.all(batch.map((pending) => this.deliver(pending)));
        continue;
      }
      const serviceEvents = await this.sources.serviceEvents();
      for (const event of serviceEvents) this.serviceEvent(event);
      if (this.pending.length > 0) continue;
      if (serviceEvents.length > 0) continue;
      if (this.retries.length === 0) return;
      this.pending.push(...this.retries);
      this.retries = [];
    }
    throw new Error(`the chain did not settle within ${maxDeliveries} deliveries: ${this.deliveries.map((d) => d.rule).join(', ')}`);
  }

  private route(event: EventEnvelope): void {
    for (const { row, matches } of this.rows) {
      if (row.eventBusName !== this.names.busName || !matches(event)) continue;
      this.pending.push({ row, event, attempt: 1 });
    }
  }

  private async deliver(pending: Pending): Promise<void> {
    const { row, event, attempt } = pending;
    try {
      await stages[row.target](event, this.deps);
      this.deliveries.push({ rule: row.id, detailType: event['detail-type'], attempt });
    } catch (error) {
      const delivery = { rule: row.id, detailType: event['detail-type'], attempt, error: error instanceof Error ? error.message : String(error) };
      this.deliveries.push(delivery);
      const retryable = error instanceof PipelineError && error.retryable;
      if (retryable && attempt <= row.retryPolicy.maximumRetryAttempts) this.retries.push({ row, event, attempt: attempt + 1 });
      else this.deadLettered.push(delivery);
    }
  }
}
