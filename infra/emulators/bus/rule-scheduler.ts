import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { z } from 'zod';
import type { EventEnvelope } from '../../../contracts/envelope';
import { readJsonFile, writeJsonFileAtomic } from './atomic-json-file';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './bus-arns';
import { RuleState } from './bus-api-schemas';
import { eventTime } from './put-events-entries';
import type { CompiledRule } from './rule-registry';
import { parseScheduleExpression } from './schedule-expression';

const StateSchema = z.object({ expression: z.string(), anchor: z.number(), lastFired: z.number().optional() });
const StatesFileSchema = z.object({ version: z.literal(1), rules: z.record(z.string(), StateSchema) });
type ScheduleState = z.infer<typeof StateSchema>;

/** What the scheduler needs from the bus. */
export interface SchedulerDeps {
  /** Every rule with a ScheduleExpression (enabled or not). */
  readonly rules: () => readonly CompiledRule[];
  /** Ingests a Scheduled Event owing deliveries to the rule's targets only; resolves once durable. */
  readonly fire: (rule: CompiledRule, event: EventEnvelope) => Promise<void>;
  readonly now: () => number;
}

/** Longest a timer sleeps before looking again (rules may have changed). */
const MAX_SLEEP_MS = 60_000;

/** A deterministic UUID for one slot of one rule, so a slot fired twice (crash) carries one id. */
function slotId(ruleArn: string, slot: number): string {
  const hex = createHash('sha256').update(`${ruleArn}@${slot}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The event a schedule rule delivers, as EventBridge shapes it. */
export function scheduledEvent(rule: CompiledRule, slot: number): EventEnvelope {
  return {
    version: '0',
    id: slotId(rule.arn, slot),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT,
    time: eventTime(new Date(slot)),
    region: LOCAL_REGION,
    resources: [rule.arn],
    detail: {},
  };
}

/**
 * Fires the local bus's schedule rules (`rate(...)`, `cron(...)` in UTC), durably.
 *
 * Each rule's progress (`<home>/bus/schedules.json`: the time its schedule counts from, and the last
 * slot fired) survives restarts. A tick fires each enabled rule at most once, for the latest slot
 * due since the last one fired: a schedule missed while the bus was down fires once on start, not
 * once per missed slot. The event is made durable before the slot is recorded, so a crash between the
 * two fires that slot again with the same event id (at least once). A rule created, changed or
 * re-enabled counts from that moment; slots before it never fire.
 */
export class RuleScheduler {
  private states = new Map<string, ScheduleState>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> = Promise.resolve(0);
  private stopped = true;

  private constructor(
    private readonly file: string,
    private readonly deps: SchedulerDeps,
  ) {}

  /** Loads the schedule progress of `busDir`. */
  static async open(busDir: string, deps: SchedulerDeps): Promise<RuleScheduler> {
    const scheduler = new RuleScheduler(path.join(busDir, 'schedules.json'), deps);
    const raw = await readJsonFile(scheduler.file);
    if (raw !== undefined) scheduler.states = new Map(Object.entries(StatesFileSchema.parse(raw).rules));
    return scheduler;
  }

  /** Fires what is due now, then keeps firing on a timer until {@link stop}. */
  start(): void {
    this.stopped = false;
    void this.tick();
  }

  /** Stops the timer and waits for a tick in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running.catch(() => 0);
  }

  /** Fires every enabled rule with a slot due at the clock's now; resolves with how many fired. */
  tick(): Promise<number> {
    const run = this.running.catch(() => 0).then(() => this.fireDue());
    this.running = run;
    void run.then(
      () => this.arm(),
      () => this.arm(),
    );
    return run;
  }

  private async fireDue(): Promise<number> {
    const now = this.deps.now();
    const next = new Map<string, ScheduleState>();
    let fired = 0;
    for (const rule of this.deps.rules()) {
      const expression = rule.scheduleExpression;
      const schedule = expression === undefined ? undefined : parseScheduleExpression(expression);
      if (expression === undefined || schedule === undefined) continue;
      const known = this.states.get(rule.arn);
      const state: ScheduleState = known?.expression === expression ? known : { expression, anchor: now };
      const latest = schedule.latestAtOrBefore(now, state.anchor);
      const due = latest !== undefined && latest > (state.lastFired ?? state.anchor);
      if (due && rule.state === RuleState.Enabled) {
        await this.deps.fire(rule, scheduledEvent(rule, latest));
        fired += 1;
      }
      next.set(rule.arn, due || rule.state !== RuleState.Enabled ? { ...state, lastFired: latest ?? state.lastFired } : state);
    }
    this.states = next;
    await writeJsonFileAtomic(this.file, { version: 1, rules: Object.fromEntries(next) });
    return fired;
  }

  private arm(): void {
    if (this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const now = this.deps.now();
    let wake = now + MAX_SLEEP_MS;
    for (const rule of this.deps.rules()) {
      const state = this.states.get(rule.arn);
      const schedule = rule.scheduleExpression === undefined ? undefined : parseScheduleExpression(rule.scheduleExpression);
      const at = schedule?.nextAfter(now, state?.anchor ?? now);
      if (at !== undefined) wake = Math.min(wake, at);
    }
    this.timer = setTimeout(() => void this.tick(), Math.max(0, wake - now));
    this.timer.unref();
  }
}
