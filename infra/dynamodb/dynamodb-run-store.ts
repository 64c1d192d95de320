import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import {
  StageStatus,
  type EventTimeRange,
  type IndexedObject,
  type LandingInput,
  type PendingCrawl,
  type RunDetail,
  type RunPage,
  type RunStore,
  type RunSummary,
  type StageRecord,
  type TransitionInput,
} from '../../handlers/ports/run-store';
import { InvalidRunStateInputError, RunConflictError, RunNotFoundError, RunStoreUnavailableError } from '../../handlers/ports/run-store-errors';
import { forEachLimited } from '../../handlers/stage-kit/for-each-limited';
import { batchGet, batchWrite } from './batch-items';
import { isConditionalCheckFailed, translateDynamoDbError } from './dynamodb-errors';
import { EventTimeIndex } from './event-time-index';
import { expressionNames } from './expression-names';
import { PendingCrawls } from './pending-crawls';
import { queryAll } from './query-all';
import { EventItemSchema, LegacyStageItemSchema, parseItem, PartitionItemSchema, RunItemSchema, toRunSummary, toStageRecord, toTimelineEntry, type RunItem, type StageEntry } from './run-store-items';
import { checkName, checkRunId, checkText, normaliseInstant, normaliseRange, RunKeys, transitionVersion } from './run-store-keys';
import { RunTableSchema } from './tables';
import { isStale, lineageUpdate, planTransitionUpdate, quarantineUpdate, timelineItem, type CheckedTransition, type StageReading } from './transition-plan';

/** How to reach the run table: a DynamoDB client (AWS or dynalite), the table name, and a clock. */
export interface DynamoDbRunStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName?: string;
  readonly now?: () => Date;
}

const CursorSchema = z.object({ pk: z.string(), sk: z.string(), gsi1pk: z.string(), gsi1sk: z.string() });
const STATUSES: ReadonlySet<string> = new Set(Object.values(StageStatus));
/** Longest error message kept (an item holds at most 400 KB; a stack trace must not make a failure unrecordable). */
const MAX_ERROR_MESSAGE = 4000;
/** Transitions of `transitionMany` written at once, after one batched read. */
const TRANSITIONS_IN_FLIGHT = 16;
/** Conditional writes one transition tries while other writers keep changing its run. */
const MAX_TRANSITION_ATTEMPTS = 16;

/** A run item as read, and what it holds of one transition's stage. */
interface RunReading {
  readonly run: RunItem;
  readonly reading: StageReading;
}

function withoutStage(legacy: StageEntry & { stage: string }): StageEntry {
  const { stage: _stage, ...entry } = legacy;
  return entry;
}

/**
 * The run store on DynamoDB, through `@aws-sdk/lib-dynamodb`, used unchanged on AWS and against
 * dynalite. No transactions (dynalite has none): each write is idempotent and multi-item changes are
 * ordered so that the last write commits — a transition writes its timeline entry (and any
 * de-indexing) first, then one conditional update of the run item that holds the stage's state, the
 * run's summary and its lineage, so a crash in between is healed by the retry and a stale or duplicate
 * transition changes nothing (but the lineage it carries).
 */
export class DynamoDbRunStore implements RunStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly now: () => Date;
  private readonly index: EventTimeIndex;
  private readonly crawls: PendingCrawls;

  constructor(options: DynamoDbRunStoreOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.table = options.tableName ?? RunTableSchema.defaultName;
    this.now = options.now ?? (() => new Date());
    this.index = new EventTimeIndex(this.doc, this.table);
    this.crawls = new PendingCrawls(this.doc, this.table);
  }

  async recordLanding(input: LandingInput): Promise<{ created: boolean }> {
    const runId = checkRunId(input.runId);
    const { bucket, key, etag, size } = input.object;
    if (!Number.isSafeInteger(size) || size < 0) throw new InvalidRunStateInputError(`object.size must be a non-negative integer, got ${size}`);
    const landedAt = normaliseInstant(input.landedAt, 'landedAt');
    const fields = {
      runId,
      dataset: checkName(input.dataset, 'dataset'),
      bucket: checkText(bucket, 'object.bucket', 255),
      key: checkText(key, 'object.key'),
      etag: checkText(etag, 'object.etag', 256),
      size,
      landedAt,
      updatedAt: landedAt,
    };
    const range = input.eventTimeRange && normaliseRange(input.eventTimeRange);
    let created = true;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...RunKeys.run(runId), gsi1pk: RunKeys.runsPartition, gsi1sk: RunKeys.runsSort(landedAt, runId), ...fields, stagesInRunItem: true },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: expressionNames('#pk'),
        }),
      );
    } catch (e) {
      if (!isConditionalCheckFailed(e)) throw translateDynamoDbError(e, `record landing of run ${runId}`);
      const existing = await this.getRunItem(runId);
      const same = existing && existing.dataset === fields.dataset && existing.bucket === bucket && existing.key === key && existing.etag === etag;
      if (!same) throw new RunConflictError(`run ${runId} already records another object (${existing?.dataset}: s3://${existing?.bucket}/${existing?.key} etag ${existing?.etag})`);
      created = false;
    }
    if (range) await this.setEventTimeRange(runId, range);
    return { created };
  }

  async setEventTimeRange(runId: string, range: EventTimeRange): Promise<void> {
    const normalised = normaliseRange(range);
    const old = await this.update(
      {
        Key: RunKeys.run(checkRunId(runId)),
        UpdateExpression: 'SET #minTime = :min, #maxTime = :max',
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeValues: { ':min': normalised.min, ':max': normalised.max },
        ReturnValues: 'ALL_OLD',
      },
      `set event-time range of run ${runId}`,
    );
    if (old === 'condition-failed') throw new RunNotFoundError(runId);
    const run = parseItem(RunItemSchema, old, 'run');
    if (run.quarantined) return;
    const previous = run.minTime !== undefined && run.maxTime !== undefined ? { min: run.minTime, max: run.maxTime } : undefined;
    await this.index.index(run, normalised, previous);
  }

  async transition(input: TransitionInput): Promise<{ applied: boolean }> {
    const t = this.checkTransition(input);
    const read = this.readingOf(t, ...(await this.readRunAndStage(t.runId, t.stage)));
    if (!isStale(t, read.reading)) {
      await this.doc.send(new PutCommand({ TableName: this.table, Item: timelineItem(t) })).catch((e: unknown) => {
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
    const id = (key: Record<string, unknown>): string => `${String(key.pk)}|${String(key.sk)}`;
    const unique = (keys: Record<string, unknown>[]): Record<string, unknown>[] => [...new Map(keys.map((k) => [id(k), k])).values()];
    const items = new Map((await batchGet(this.doc, this.table, unique(checked.map((c) => RunKeys.run(c.runId))))).map((i) => [id(i), i]));
    // Legacy STAGE# items exist only for runs landed by an earlier version (no `stagesInRunItem`).
    const legacy = checked.filter((c) => { const run = items.get(id(RunKeys.run(c.runId))); return run !== undefined && run.stagesInRunItem !== true; });
    for (const item of await batchGet(this.doc, this.table, unique(legacy.map((c) => RunKeys.stage(c.runId, c.stage))))) items.set(id(item), item);
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
    await batchWrite(this.doc, this.table, due.filter(({ t, read }) => !isStale(t, read.reading)).map(({ t }) => ({ PutRequest: { Item: timelineItem(t) } })));
    await forEachLimited(due, TRANSITIONS_IN_FLIGHT, async ({ index, t, read }) => {
      results[index] = await this.commit(t, read).catch((e: unknown) => {
        failures.push(e);
        return { applied: false };
      });
    });
    if (failures.length > 0) throw failures[0];
    return results;
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
    return { runId, stage, status: input.status, at, version: transitionVersion(at, input.status), ...(error ? { error } : {}), ...(partitions && partitions.size > 0 ? { refinedPartitions: partitions } : {}) };
  }

  /** The run item and what it holds of a transition's stage (its `stages` entry, else a legacy `STAGE#` item). */
  private readingOf(t: CheckedTransition, runRaw: Record<string, unknown> | undefined, legacyRaw: Record<string, unknown> | undefined): RunReading {
    if (runRaw === undefined) throw new RunNotFoundError(t.runId);
    const run = parseItem(RunItemSchema, runRaw, 'run');
    const legacy = legacyRaw === undefined ? undefined : parseItem(LegacyStageItemSchema, legacyRaw, 'stage');
    const inMap = run.stages?.[t.stage];
    const entry = inMap ?? (legacy && withoutStage(legacy));
    return { run, reading: { hasStageMap: run.stages !== undefined, entry, entryInMap: inMap !== undefined, lastVersion: run.lastVersion } };
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
      await this.update(quarantineUpdate(t.runId), `mark run ${t.runId} quarantined`);
      await this.index.remove(read.run);
    }
    let reading = read.reading;
    for (let attempt = 1; ; attempt++) {
      const withSummary = reading.lastVersion === undefined || reading.lastVersion <= t.version;
      const out = await this.update(planTransitionUpdate(t, reading, withSummary), `transition run ${t.runId} stage ${t.stage}`);
      if (out !== 'condition-failed') return { applied: true };
      if (attempt === MAX_TRANSITION_ATTEMPTS) throw new RunStoreUnavailableError(`transition run ${t.runId} stage ${t.stage}: the run changed under ${attempt} attempts in a row; retry`);
      reading = this.readingOf(t, ...(await this.readRunAndStage(t.runId, t.stage))).reading;
      if (isStale(t, reading)) return this.notApplied(t);
    }
  }

  /** A stale transition changes nothing but the lineage it carries (lineage only grows). */
  private async notApplied(t: CheckedTransition): Promise<{ applied: boolean }> {
    if (t.refinedPartitions !== undefined) {
      const out = await this.update(lineageUpdate({ ...t, refinedPartitions: t.refinedPartitions }), `record refined lineage of run ${t.runId}`);
      if (out === 'condition-failed') throw new RunNotFoundError(t.runId);
    }
    return { applied: false };
  }

  async recordForecastLineage(input: { dataset: string; partition: string; outputs: readonly string[] }): Promise<void> {
    const dataset = checkName(input.dataset, 'dataset');
    const partition = checkText(input.partition, 'partition');
    const outputs = new Set(input.outputs.map((o) => checkText(o, 'forecast output')));
    if (outputs.size === 0) return;
    await this.update(
      {
        Key: RunKeys.partition(dataset, partition),
        UpdateExpression: 'SET #dataset = :dataset, #partition = :partition, #updatedAt = :at ADD #forecastOutputs :outputs',
        ExpressionAttributeValues: { ':dataset': dataset, ':partition': partition, ':at': this.now().toISOString(), ':outputs': outputs },
      },
      `record forecast lineage of ${dataset} ${partition}`,
    );
  }

  async getRun(runId: string): Promise<RunDetail | undefined> {
    const items = await queryAll(
      this.doc,
      { TableName: this.table, ConsistentRead: true, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: expressionNames('#pk'), ExpressionAttributeValues: { ':pk': RunKeys.run(checkRunId(runId)).pk } },
      `get run ${runId}`,
    );
    const sk = (item: Record<string, unknown>): string => String(item.sk);
    const runRaw = items.find((item) => sk(item) === 'RUN');
    if (runRaw === undefined) return undefined;
    const run = parseItem(RunItemSchema, runRaw, 'run');
    const byStage = new Map<string, StageRecord>();
    for (const legacy of items.filter((i) => sk(i).startsWith('STAGE#')).map((i) => parseItem(LegacyStageItemSchema, i, 'stage'))) byStage.set(legacy.stage, toStageRecord(legacy.stage, withoutStage(legacy)));
    for (const [stage, entry] of Object.entries(run.stages ?? {})) byStage.set(stage, toStageRecord(stage, entry));
    const stages = [...byStage.values()];
    stages.sort((a, b) => (firstAt(a) < firstAt(b) ? -1 : firstAt(a) > firstAt(b) ? 1 : 0));
    const timeline = items.filter((i) => sk(i).startsWith('EVENT#')).map((i) => toTimelineEntry(parseItem(EventItemSchema, i, 'timeline')));
    const partitions = [...(run.refinedPartitions ?? [])].sort();
    const found = await batchGet(this.doc, this.table, partitions.map((p) => RunKeys.partition(run.dataset, p)));
    const outputs = new Map(found.map((i) => parseItem(PartitionItemSchema, i, 'partition')).map((p) => [p.partition, [...(p.forecastOutputs ?? [])].sort()]));
    return { run: toRunSummary(run), stages, timeline, lineage: partitions.map((partition) => ({ partition, forecastOutputs: outputs.get(partition) ?? [] })) };
  }

  async getRunSummaries(runIds: readonly string[]): Promise<RunSummary[]> {
    const ids = [...new Set(runIds.map(checkRunId))];
    const found = await batchGet(this.doc, this.table, ids.map((id) => RunKeys.run(id)));
    const byId = new Map(found.map((i) => parseItem(RunItemSchema, i, 'run')).map((r) => [r.runId, toRunSummary(r)]));
    return ids.flatMap((id) => {
      const run = byId.get(id);
      return run ? [run] : [];
    });
  }

  async listRuns(options: { limit?: number; cursor?: string } = {}): Promise<RunPage> {
    const limit = options.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new InvalidRunStateInputError(`limit must be an integer from 1 to 1000, got ${limit}`);
    const out = await this.doc
      .send(
        new QueryCommand({
          TableName: this.table,
          IndexName: RunTableSchema.runsIndex,
          KeyConditionExpression: '#gsi1pk = :runs',
          ExpressionAttributeNames: expressionNames('#gsi1pk'),
          ExpressionAttributeValues: { ':runs': RunKeys.runsPartition },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: options.cursor === undefined ? undefined : decodeCursor(options.cursor),
        }),
      )
      .catch((e: unknown) => {
        throw translateDynamoDbError(e, 'list runs');
      });
    const runs = (out.Items ?? []).map((i) => toRunSummary(parseItem(RunItemSchema, i, 'run')));
    return out.LastEvaluatedKey === undefined ? { runs } : { runs, cursor: Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url') };
  }

  async findObjectsOverlapping(dataset: string, window: { from: string; to: string }): Promise<IndexedObject[]> {
    return this.index.find(checkName(dataset, 'dataset'), normaliseInstant(window.from, 'window.from'), normaliseInstant(window.to, 'window.to'));
  }

  async markCrawlPending(dataset: string, zone: string, at?: string): Promise<{ created: boolean; pending: PendingCrawl }> {
    return this.crawls.mark(checkName(dataset, 'dataset'), checkName(zone, 'zone'), normaliseInstant(at ?? this.now().toISOString(), 'at'));
  }

  async getPendingCrawl(dataset: string, zone: string): Promise<PendingCrawl | undefined> {
    return this.crawls.get(checkName(dataset, 'dataset'), checkName(zone, 'zone'));
  }

  async clearPendingCrawl(dataset: string, zone: string, version: string): Promise<boolean> {
    return this.crawls.clear(checkName(dataset, 'dataset'), checkName(zone, 'zone'), checkText(version, 'version', 128));
  }

  private async getRunItem(runId: string): Promise<RunItem | undefined> {
    const [raw] = await this.readRunAndStage(runId);
    return raw === undefined ? undefined : parseItem(RunItemSchema, raw, 'run');
  }

  private async readRunAndStage(runId: string, stage?: string): Promise<[Record<string, unknown> | undefined, Record<string, unknown> | undefined]> {
    const keys = stage === undefined ? [RunKeys.run(runId)] : [RunKeys.run(runId), RunKeys.stage(runId, stage)];
    const items = await batchGet(this.doc, this.table, keys);
    const find = (sk: string): Record<string, unknown> | undefined => items.find((i) => i.sk === sk);
    return [find('RUN'), stage === undefined ? undefined : find(`STAGE#${stage}`)];
  }

  /** One UpdateItem with names derived from the expressions; 'condition-failed' when its condition did not hold. */
  private async update(input: Omit<UpdateCommandInput, 'TableName'>, what: string): Promise<Record<string, unknown> | undefined | 'condition-failed'> {
    try {
      const names = { ...expressionNames(input.UpdateExpression ?? '', input.ConditionExpression ?? ''), ...input.ExpressionAttributeNames };
      const out = await this.doc.send(new UpdateCommand({ ...input, TableName: this.table, ExpressionAttributeNames: names }));
      return out.Attributes;
    } catch (e) {
      if (isConditionalCheckFailed(e)) return 'condition-failed';
      throw translateDynamoDbError(e, what);
    }
  }
}

function firstAt(stage: { pendingAt?: string; startedAt?: string; updatedAt: string }): string {
  return stage.pendingAt ?? stage.startedAt ?? stage.updatedAt;
}

function decodeCursor(cursor: string): Record<string, string> {
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch (e) {
    throw new InvalidRunStateInputError(`cursor is not one this store returned: ${JSON.stringify(cursor.slice(0, 40))} (${e instanceof Error ? e.message : String(e)})`);
  }
}
