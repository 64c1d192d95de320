import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { StageStatus, type RowCounts, type RunError } from '../../handlers/ports/run-store';
import { expressionNames } from './expression-names';
import { RunKeys } from './run-store-keys';
import type { StageEntry, SummaryState } from './run-store-items';

/** A transition already checked and normalised: `at` is a `toISOString()` instant, `version` its order. */
export interface CheckedTransition {
  readonly runId: string;
  readonly stage: string;
  readonly status: StageStatus;
  readonly at: string;
  readonly version: string;
  readonly error?: RunError;
  /** Refined partitions to add to the run's lineage with the transition (absent when none). */
  readonly refinedPartitions?: ReadonlySet<string>;
  /** The stage's start, recorded in the timeline only (`recordStarts`); terminal transitions only. */
  readonly startedAt?: string;
  /** The run's row accounting, set with the transition (absent when it carries none). */
  readonly rowCounts?: RowCounts;
}

/** What the writer read of the run item before planning: whether it has a stage map, and the stage's entry. */
export interface StageReading {
  readonly hasStageMap: boolean;
  /** The stage's state: its map entry, else what a legacy `STAGE#` item holds. */
  readonly entry: StageEntry | undefined;
  /** Whether `entry` is the map's (false when absent or read from a legacy item). */
  readonly entryInMap: boolean;
  /** The run's `lastVersion`, the version of the newest transition of any stage. */
  readonly lastVersion: string | undefined;
  /**
   * Whether the run's summary is read from its stage map (runs landed by versions that keep all stage
   * state there): then a transition writes its stage entry only, and no summary fields.
   */
  readonly summaryInMap: boolean;
}

/** Why a transition does not apply as read: the stage already holds it or a newer one. */
export function isStale(t: CheckedTransition, reading: StageReading): boolean {
  return reading.entry !== undefined && reading.entry.version >= t.version;
}

/** The stage entry after a transition, from the entry before it (timestamps of earlier steps are kept). */
export function nextEntry(t: CheckedTransition, before: StageEntry | undefined): StageEntry {
  // Running clears the end of an earlier attempt; pending keeps it; a terminal status sets it.
  const { endedAt: _endedAt, error: _error, ...kept } = before ?? { attempts: 0 };
  const endedAt = t.status === StageStatus.Pending ? before?.endedAt : t.status === StageStatus.Running ? undefined : t.at;
  // A start that went to the timeline only is the attempt's start, unless the entry shows its own running start.
  const startedAt = t.status === StageStatus.Running ? t.at : before?.status === StageStatus.Running ? undefined : t.startedAt;
  return {
    ...kept,
    status: t.status,
    version: t.version,
    updatedAt: t.at,
    attempts: (before?.attempts ?? 0) + (startedAt !== undefined ? 1 : 0),
    ...(t.status === StageStatus.Pending ? { pendingAt: t.at } : {}),
    ...(startedAt !== undefined ? { startedAt } : {}),
    ...(endedAt !== undefined ? { endedAt } : {}),
    ...(t.error !== undefined ? { error: t.error } : {}),
  };
}

/**
 * The one UpdateItem that applies a transition to the run item: it writes the stage's whole entry in
 * the item's `stages` map (computed from the entry as read, under the condition that the entry is
 * still as read, so concurrent writers never lose an update) and, when `withSummary` (runs landed by
 * earlier versions, whose summary is not read from the map), the run's summary fields of its last
 * transition (under the condition that no newer transition of any stage is recorded, so the latest
 * transition wins). When the condition fails the caller reads again and
 * re-plans: the stage may have moved on (stale: nothing to do) or only the summary is newer (then the
 * entry alone is written).
 */
export function planTransitionUpdate(t: CheckedTransition, reading: StageReading, withSummary: boolean): Omit<UpdateCommandInput, 'TableName'> {
  const failure = t.error !== undefined;
  const entry = nextEntry(t, reading.entry);
  const set: string[] = [];
  const conditions = ['attribute_exists(#pk)'];
  const values: Record<string, unknown> = {};
  if (!reading.hasStageMap) {
    set.push('#stages = :stages');
    conditions.push('attribute_not_exists(#stages)');
    values[':stages'] = { [t.stage]: entry };
  } else {
    set.push('#stages.#stg = :entry');
    values[':entry'] = entry;
    if (!reading.entryInMap || reading.entry === undefined) conditions.push('attribute_exists(#stages)', 'attribute_not_exists(#stages.#stg)');
    else {
      conditions.push('#stages.#stg.#version = :readVersion');
      values[':readVersion'] = reading.entry.version;
    }
  }
  if (t.rowCounts !== undefined) {
    set.push('#rowCounts = :rowCounts');
    values[':rowCounts'] = t.rowCounts;
  }
  let remove = '';
  if (withSummary) {
    set.push('#lastStage = :stage', '#lastStatus = :status', '#lastVersion = :version', '#updatedAt = :at', ...(failure ? ['#error = :error'] : []));
    conditions.push('(attribute_not_exists(#lastVersion) OR #lastVersion <= :version)');
    Object.assign(values, { ':stage': t.stage, ':status': t.status, ':version': t.version, ':at': t.at, ...(failure ? { ':error': t.error } : {}) });
    if (!failure) remove = ' REMOVE #error';
  }
  const lineage = t.refinedPartitions === undefined ? '' : ' ADD #refinedPartitions :partitions';
  if (t.refinedPartitions !== undefined) values[':partitions'] = t.refinedPartitions;
  const update = `SET ${set.join(', ')}${remove}${lineage}`;
  const condition = conditions.join(' AND ');
  return {
    Key: RunKeys.run(t.runId),
    UpdateExpression: update,
    ConditionExpression: condition,
    // `#stg` stands for the stage's name, which may hold `-` or `.` (not allowed in a placeholder).
    ExpressionAttributeNames: { ...expressionNames(update, condition), ...(reading.hasStageMap ? { '#stg': t.stage } : {}) },
    ExpressionAttributeValues: values,
  };
}

/**
 * The state of the run's last transition once `t` is written over `before`: `t`'s own when it becomes
 * the newest (`newest`: for runs whose summary is their stage map, `t` is newer than every entry; for
 * runs of earlier versions, the update writes the summary fields), else the state before.
 */
export function stateAfter(t: CheckedTransition, before: SummaryState | undefined, newest: boolean): SummaryState | undefined {
  return newest ? { stage: t.stage, status: t.status, version: t.version } : before;
}

/** The timeline item of a transition (its key holds the version, so writing it twice is harmless). */
export function timelineItem(t: CheckedTransition): Record<string, unknown> {
  return { ...RunKeys.event(t.runId, t.version, t.stage), at: t.at, stage: t.stage, status: t.status, ...(t.error !== undefined ? { error: t.error } : {}) };
}

/** The update that adds a stale transition's refined partitions to the run's lineage. */
export function lineageUpdate(t: CheckedTransition & { refinedPartitions: ReadonlySet<string> }): Omit<UpdateCommandInput, 'TableName'> {
  const update = 'ADD #refinedPartitions :partitions';
  const condition = 'attribute_exists(#pk)';
  return { Key: RunKeys.run(t.runId), UpdateExpression: update, ConditionExpression: condition, ExpressionAttributeNames: expressionNames(update, condition), ExpressionAttributeValues: { ':partitions': t.refinedPartitions } };
}

/** The update that marks a run quarantined (written, with the run's de-indexing, before the transition). */
export function quarantineUpdate(runId: string): Omit<UpdateCommandInput, 'TableName'> {
  return { Key: RunKeys.run(runId), UpdateExpression: 'SET #quarantined = :true', ExpressionAttributeNames: expressionNames('#quarantined'), ExpressionAttributeValues: { ':true': true } };
}
