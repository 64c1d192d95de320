import * as path from 'node:path';
import { z } from 'zod';
import { EventEnvelopeSchema, type EventEnvelope } from '../../../contracts/envelope';
import { ruleTable, type RuleRow } from '../../../events/rules';
import { compileRulePattern } from '../../emulators/bus/rule-registry';
import { EventRecordSchema, JournalRecordSchema } from '../../emulators/bus/log-records';
import { LOCAL_ARCHIVE } from '../../local/runtime/embedded-runtime';
import { LogTail } from './log-tail';

/**
 * What a rule did: `matched` events (the bus's archive, its whole history), deliveries `pending` now,
 * `deadLettered` (messages in its DLQ now), `retried` (retries of its deliveries, its whole history:
 * the journal's `base` record keeps those compaction dropped), and `delivered` (matched, less pending
 * and dead-lettered).
 */
export interface RuleCounts {
  readonly matched: number;
  readonly delivered: number;
  readonly retried: number;
  readonly deadLettered: number;
  readonly pending: number;
}

/** One recent match of a rule and what became of its delivery. */
export interface RuleMatch {
  readonly at: string;
  readonly id: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: unknown;
  readonly outcome: string;
}

const ArchiveRecordSchema = z.object({ at: z.number(), ev: EventEnvelopeSchema });
const RECENT = 50;

interface RuleState {
  readonly row: RuleRow;
  readonly matches: (event: unknown) => boolean;
  matched: number;
  pending: number;
  readonly recent: { at: number; ev: EventEnvelope }[];
  readonly deadLetters: Set<string>;
}

/** The last segment of a rule ARN (`arn:…:rule/<bus>/<name>`): the rule's name. */
function ruleNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/**
 * Per-rule activity of a home's bus, read from its files (archive, event log, delivery journal) and
 * followed incrementally: `refresh` reads what was appended since, so the console can call it on each
 * request while `up` writes. Works with or without `up` running; the numbers are the bus's own records.
 */
export class RuleActivity {
  private readonly rules = new Map<string, RuleState>();
  private readonly archive: LogTail;
  private readonly events: LogTail;
  private readonly journal: LogTail;
  /** Unsettled deliveries of retained events: `seq:index` → rule name and event id. */
  private readonly deliveries = new Map<string, { rule: string; eventId: string }>();
  /** The state of a rule's delivery of an event, while the event log still holds it: `rule|eventId`. */
  private readonly outcomes = new Map<string, string>();
  /** Journal records about events this reader has not read yet (the bus wrote both since): `seq:index` → records. */
  private readonly early = new Map<string, z.infer<typeof JournalRecordSchema>[]>();
  /** Retries per rule folded into the journal's newest `base` record (by compaction on a start of the bus). */
  private retriedBase = new Map<string, number>();
  /** Retries journalled since that base, per delivery (`seq:index`): its rule and its highest count. */
  private readonly retries = new Map<string, { rule: string; n: number }>();
  private maxSeq = 0;
  private refreshing: Promise<void> | undefined;

  constructor(home: string, rows: readonly RuleRow[] = ruleTable()) {
    for (const row of rows) {
      const { matches } = compileRulePattern(JSON.stringify(row.pattern));
      this.rules.set(row.id, { row, matches, matched: 0, pending: 0, recent: [], deadLetters: new Set() });
    }
    const bus = path.join(home, 'bus');
    this.archive = new LogTail(path.join(bus, 'archives', LOCAL_ARCHIVE));
    this.events = new LogTail(path.join(bus, 'events'));
    this.journal = new LogTail(path.join(bus, 'journal'));
  }

  /** Reads what the bus appended since the last refresh (concurrent calls share one read). */
  refresh(): Promise<void> {
    this.refreshing ??= this.readAll().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** Every rule's counts, by rule id. */
  counts(): Record<string, RuleCounts> {
    const out: Record<string, RuleCounts> = {};
    const retried = new Map(this.retriedBase);
    for (const { rule, n } of this.retries.values()) retried.set(rule, (retried.get(rule) ?? 0) + n);
    for (const [id, r] of this.rules) {
      const deadLettered = r.deadLetters.size;
      out[id] = { matched: r.matched, delivered: Math.max(0, r.matched - r.pending - deadLettered), retried: retried.get(id) ?? 0, deadLettered, pending: r.pending };
    }
    return out;
  }

  /** The rule's most recent matches, newest first; undefined for an unknown rule. */
  recentMatches(rule: string, limit: number): RuleMatch[] | undefined {
    const r = this.rules.get(rule);
    if (!r) return undefined;
    return r.recent.slice(-limit).reverse().map(({ at, ev }) => ({
      at: new Date(at).toISOString(),
      id: ev.id,
      source: ev.source,
      detailType: ev['detail-type'],
      detail: ev.detail,
      outcome: this.outcomes.get(`${rule}|${ev.id}`) ?? 'delivered',
    }));
  }

  private async readAll(): Promise<void> {
    await this.archive.read((record) => {
      const parsed = ArchiveRecordSchema.safeParse(record);
      if (!parsed.success) return;
      for (const r of this.rules.values()) {
        if (!r.matches(parsed.data.ev)) continue;
        r.matched += 1;
        r.recent.push(parsed.data);
        if (r.recent.length > RECENT) r.recent.shift();
      }
    });
    await this.events.read((record) => {
      const parsed = EventRecordSchema.safeParse(record);
      if (!parsed.success) return;
      this.maxSeq = Math.max(this.maxSeq, parsed.data.s);
      parsed.data.d.forEach(([arn], i) => {
        const rule = this.rules.get(ruleNameOf(arn));
        if (!rule) return;
        const key = `${parsed.data.s}:${i}`;
        rule.pending += 1;
        this.deliveries.set(key, { rule: rule.row.id, eventId: parsed.data.ev.id });
        this.outcomes.set(`${rule.row.id}|${parsed.data.ev.id}`, 'pending');
        for (const j of this.early.get(key) ?? []) this.settle(j);
        this.early.delete(key);
      });
    });
    await this.journal.read((record) => {
      const parsed = JournalRecordSchema.safeParse(record);
      if (parsed.success) this.settle(parsed.data);
    });
  }

  /** Applies one journal record to the delivery it names (kept for later when its event is not read yet). */
  private settle(j: z.infer<typeof JournalRecordSchema>): void {
    if (j.t === 'base') {
      // A compacted journal: every retry before it is in its counts or journalled again after it.
      this.retriedBase = new Map();
      for (const [arn, n] of Object.entries(j.retried)) this.retriedBase.set(ruleNameOf(arn), (this.retriedBase.get(ruleNameOf(arn)) ?? 0) + n);
      this.retries.clear();
      return;
    }
    if (j.t === 'del') {
      for (const r of this.rules.values()) r.deadLetters.delete(`${j.q}|${j.id}`);
      return;
    }
    if (j.t === 'dlq') this.rules.get(ruleNameOf(j.m.attributes.RULE_ARN))?.deadLetters.add(`${j.m.queue}|${j.m.messageId}`);
    const key = `${j.s}:${j.i}`;
    const delivery = this.deliveries.get(key);
    if (j.t === 'att') {
      // Counted once per delivery at its highest count, so a record read twice (or written again by a compaction) adds nothing.
      const rule = j.r !== undefined ? ruleNameOf(j.r) : delivery?.rule;
      if (rule !== undefined) this.retries.set(key, { rule, n: Math.max(this.retries.get(key)?.n ?? 0, j.n) });
    }
    if (!delivery) {
      if (j.s > this.maxSeq) this.early.set(key, [...(this.early.get(key) ?? []), j]);
      return;
    }
    const rule = this.rules.get(delivery.rule);
    if (!rule) return;
    const outcome = `${delivery.rule}|${delivery.eventId}`;
    if (j.t === 'att') {
      this.outcomes.set(outcome, `retrying (${j.n} failed)`);
      return;
    }
    rule.pending -= 1;
    this.deliveries.delete(key);
    if (j.t === 'dlq') this.outcomes.set(outcome, 'dead-lettered');
    else this.outcomes.delete(outcome);
  }
}
