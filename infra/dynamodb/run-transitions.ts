import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { StageStatus, type RowCounts, type StageStart, type TransitionInput } from '../../handlers/ports/run-store';
import { InvalidRunStateInputError, RunNotFoundError, RunStoreUnavailableError } from '../../handlers/ports/run-store-errors';
import { forEachLimited } from '../../handlers/stage-kit/for-each-limited';
import { batchGet, batchWrite } from './batch-items';
import { translateDynamoDbError } from './dynamodb-errors';
import type { EventTimeIndex } from './event-time-index';
import { readRunAndStage, updateItem, type RunTable } from './run-item-access';
import { legacyStageEntry, LegacyStageItemSchema, parseItem, RunItemSchema, summaryState, type RunItem } from './run-store-items';
import type { RunStateIndex } from './run-state-index';
import { checkName, checkRunId, checkText, normaliseInstant, RunKeys, transitionVersion } from './run-store-keys';
import { isStale, lineageUpdate, planTransitionUpdate, quarantineUpdate, stateAfter, timelineItem, type CheckedTransition, type StageReading } from './transition-plan';

const STATUSES: ReadonlySet<string> = new Set(Object.values(StageStatus));
const TERMINAL: ReadonlySet<string> = new Set([StageStatus.Succeeded, StageStatus.Failed, StageStatus.Quarantined]);
/** Longest error message kept (an item holds at most 400 KB; a stack trace must not make a failure unrecordable). */
const MAX_ERROR_MESSAGE = 4000;
/** Transitions of `transitionMany` written at once, after one batched read. */
const TRANSITIONS_IN_FLIGHT = 16;
/** Conditional writes one transition tries while other writers keep changing its run. */
const MAX_TRANSITION_ATTEMPTS = 16;

/** Row counts as the item keeps them: exactly the four counts, each a whole number ≥ 0 (else poison, naming the count). */
function checkRowCounts(counts: RowCounts, runId: string): RowCounts {
  for (const [name, value] of Object.entries(counts)) {
    if (!Number.isSafeInteger(value) || value < 0) throw new InvalidRunStateInputError(`rowCounts.${name} must be a whole number >= 0, got ${JSON.stringify(value)} (run ${runId})`);
  }
  return { read: counts.read, refined: counts.refined, rejected: counts.rejected, duplicates: counts.duplicates };
}

/** An item's key as one string, to match items read back with the keys asked for. */
function id(key: Record<string, unknown>): string {
  return `${String(key.pk)}|${String(key.sk)}`;
}

/** Items (or keys) without repeats of a key, first seen kept. */
function unique(items: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return [...new Map(items.map((k) => [id(k), k])).values()];
}

/** A run item as read, and what it holds of one transition's stage. */
interface RunReading {
  readonly run: RunItem;
  readonly reading: StageReading;
}

/**
 * The run store's stage transitions. A transition writes its timeline entry (and, for a quarantine,
 * the run's de-indexing) first, then one conditional update of the run item that holds the stage's
 * state and any lineage (transition-plan.ts). Each write is idempotent, so a crash
 * in between is healed by the retry, and a stale or duplicate transition changes nothing but the
 * lineage it carries.
 */
export class RunTransitions {
  constructor(
    private readonly table: RunTable,
    private readonly now: () => Date,
    private readonly index: EventTimeIndex,
    private readonly states: RunStateIndex,
  ) {}

  async transition(input: TransitionInput): Promise<{ applied: boolean }> {
    const t = this.checkTransition(input);
    const read = this.readingOf(t, ...(await readRunAndStage(this.table, t.runId, t.stage)));
    if (!isStale(t, read.reading)) {
      await this.table.doc.send(new PutCommand({ TableName: this.table.name, Item: timelineItem(t) })).catch((e: unknown) => {
        throw translateDynamoDbError(e, `record timeline of run ${t.runId}`);
      });
    }
    return this.commit(t, read);
  }

  /**
   * Many transitions at once: one batched read of the runs, the timeline entries of the transitions
   * that apply in batched writes, then each run's one update (16 runs at a time), exactly as
   * `transition` makes it. A failing run does not stop the others; the first failure is thrown after.
   */
  async transitionMany(inputs: readonly TransitionInput[]): Promise<{ applied: boolean }[]> {
    const checked = inputs.map((i) => this.checkTransition(i));
    const items = new Map((await batchGet(this.table.doc, this.table.name, unique(checked.map((c) => RunKeys.run(c.runId))))).map((i) => [id(i), i]));
    // Legacy STAGE# items exist only for runs landed by an earlier version (no `stagesInRunItem`).
    const legacy = checked.filter((c) => { const run = items.get(id(RunKeys.run(c.runId))); return run !== undefined && run.stagesInRunItem !== true; });
    for (const item of await batchGet(this.table.doc, this.table.name, unique(legacy.map((c) => RunKeys.stage(c.runId, c.stage))))) items.set(id(item), item);
    const results: { applied: boolean }[] = checked.map(() => ({ applied: false }));
    const failures: unknown[] = [];
    const due: { index: number; t: CheckedTransition; read: RunReading }[] = [];
    checked.forEach((t, index) => {
      try {
        due.push({ index, t, read: this.readingOf(t, items.get(id(RunKeys.run(t.runId))), items.get(id(RunKeys.stage(t.runId, t.stage)))) });
      } catch (e) {
        failures.push(e);
      }
    });
    await batchWrite(this.table.doc, this.table.name, due.filter(({ t, read }) => !isStale(t, read.reading)).map(({ t }) => ({ PutRequest: { Item: timelineItem(t) } })));
    await forEachLimited(due, TRANSITIONS_IN_FLIGHT, async ({ index, t, read }) => {
      results[index] = await this.commit(t, read).catch((e: unknown) => {
        failures.push(e);
        return { applied: false };
      });
    });
    if (failures.length > 0) throw failures[0];
    return results;
  }

  /**
   * A stage's start on many runs, in their timelines only: one batched read checks the runs exist,
   * then batched writes put a `running` timeline entry per run, and a `succeeded` one for a start
   * given with `endedAt` (each keyed by its version, so a retry rewrites the same entries). The run
   * items are not touched.
   */
  async recordStarts(starts: readonly StageStart[]): Promise<void> {
    const checked = starts.flatMap((s) => {
      const start = this.checkTransition({ runId: s.runId, stage: s.stage, status: StageStatus.Running, at: s.at });
      if (s.endedAt === undefined) return [start];
      const end = this.checkTransition({ runId: s.runId, stage: s.stage, status: StageStatus.Succeeded, at: s.endedAt });
      if (end.at < start.at) throw new InvalidRunStateInputError(`endedAt ${end.at} is before the start at ${start.at} (run ${start.runId}, stage ${start.stage})`);
      return [start, end];
    });
    const found = new Set((await batchGet(this.table.doc, this.table.name, unique(checked.map((c) => RunKeys.run(c.runId))))).map(id));
    const known = checked.filter((c) => found.has(id(RunKeys.run(c.runId))));
    await batchWrite(this.table.doc, this.table.name, unique(known.map((c) => timelineItem(c))).map((Item) => ({ PutRequest: { Item } })));
    const missing = checked.find((c) => !found.has(id(RunKeys.run(c.runId))));
    if (missing) throw new RunNotFoundError(missing.runId);
  }

  private checkTransition(input: TransitionInput): CheckedTransition {
    const runId = checkRunId(input.runId);
    const stage = checkName(input.stage, 'stage');
    if (!STATUSES.has(input.status)) throw new InvalidRunStateInputError(`status must be one of ${[...STATUSES].join(', ')}, got ${JSON.stringify(input.status)}`);
    const at = normaliseInstant(input.at ?? this.now().toISOString(), 'at');
    const failure = input.status === StageStatus.Failed || input.status === StageStatus.Quarantined;
    if (failure !== (input.error !== undefined)) {
      throw new InvalidRunStateInputError(`a ${input.status} transition ${failure ? 'needs' : 'must not carry'} an error (run ${runId}, stage ${stage})`);
    }
    const error = input.error && { errorClass: checkText(input.error.errorClass, 'error.errorClass', 256), message: input.error.message.slice(0, MAX_ERROR_MESSAGE), retryable: input.error.retryable === true };
    const partitions = input.refinedPartitions === undefined ? undefined : new Set(input.refinedPartitions.map((p) => checkText(p, 'partition')));
    const startedAt = input.startedAt === undefined ? undefined : normaliseInstant(input.startedAt, 'startedAt');
    if (startedAt !== undefined && !TERMINAL.has(input.status)) throw new InvalidRunStateInputError(`startedAt goes with a terminal transition, not ${input.status} (run ${runId}, stage ${stage})`);
    if (startedAt !== undefined && startedAt > at) throw new InvalidRunStateInputError(`startedAt ${startedAt} is after the transition at ${at} (run ${runId}, stage ${stage})`);
    const rowCounts = input.rowCounts === undefined ? undefined : checkRowCounts(input.rowCounts, runId);
    return { runId, stage, status: input.status, at, version: transitionVersion(at, input.status), ...(error ? { error } : {}), ...(partitions && partitions.size > 0 ? { refinedPartitions: partitions } : {}), ...(startedAt !== undefined ? { startedAt } : {}), ...(rowCounts ? { rowCounts } : {}) };
  }

  /** The run item and what it holds of a transition's stage (its `stages` entry, else a legacy `STAGE#` item). */
  private readingOf(t: CheckedTransition, runRaw: Record<string, unknown> | undefined, legacyRaw: Record<string, unknown> | undefined): RunReading {
    if (runRaw === undefined) throw new RunNotFoundError(t.runId);
    const run = parseItem(RunItemSchema, runRaw, 'run');
    const legacy = legacyRaw === undefined ? undefined : parseItem(LegacyStageItemSchema, legacyRaw, 'stage');
    const inMap = run.stages?.[t.stage];
    const entry = inMap ?? (legacy && legacyStageEntry(legacy));
    return { run, reading: { hasStageMap: run.stages !== undefined, entry, entryInMap: inMap !== undefined, lastVersion: run.lastVersion, summaryInMap: run.stagesInRunItem === true } };
  }

  /**
   * Commits a transition whose timeline entry is written (unless it was stale as read): a quarantine
   * first marks the run and removes it from the event-time index, then one conditional update writes
   * the stage entry, the summary and any lineage. If another writer changed the run in between, the
   * run is read again and the update re-planned, until it applies or the stage holds this transition
   * or a newer one (then only its lineage is added).
   */
  private async commit(t: CheckedTransition, read: RunReading): Promise<{ applied: boolean }> {
    if (isStale(t, read.reading)) return this.notApplied(t);
    if (t.status === StageStatus.Quarantined) {
      await updateItem(this.table, quarantineUpdate(t.runId), `mark run ${t.runId} quarantined`);
      await this.index.remove(read.run);
    }
    let current = read;
    for (let attempt = 1; ; attempt++) {
      const { run, reading } = current;
      const withSummary = !reading.summaryInMap && (reading.lastVersion === undefined || reading.lastVersion <= t.version);
      const before = summaryState(run);
      const after = stateAfter(t, before, reading.summaryInMap ? before === undefined || t.version > before.version : withSummary);
      await this.states.beforeWrite(run, before, after);
      const out = await updateItem(this.table, planTransitionUpdate(t, reading, withSummary), `transition run ${t.runId} stage ${t.stage}`);
      if (out !== 'condition-failed') {
        await this.states.afterWrite(run, before, after);
        return { applied: true };
      }
      if (attempt === MAX_TRANSITION_ATTEMPTS) throw new RunStoreUnavailableError(`transition run ${t.runId} stage ${t.stage}: the run changed under ${attempt} attempts in a row; retry`);
      current = this.readingOf(t, ...(await readRunAndStage(this.table, t.runId, t.stage)));
      if (isStale(t, current.reading)) return this.notApplied(t);
    }
  }

  /** A stale transition changes nothing but the lineage it carries (lineage only grows). */
  private async notApplied(t: CheckedTransition): Promise<{ applied: boolean }> {
    if (t.refinedPartitions !== undefined) {
      const out = await updateItem(this.table, lineageUpdate({ ...t, refinedPartitions: t.refinedPartitions }), `record refined lineage of run ${t.runId}`);
      if (out === 'condition-failed') throw new RunNotFoundError(t.runId);
    }
    return { applied: false };
  }
}
