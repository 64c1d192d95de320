import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type {
  EventTimeRange,
  IndexedObject,
  LandingInput,
  PendingCrawl,
  RunDetail,
  RunPage,
  RunState,
  RunStore,
  RunSummary,
  StageRecord,
  StageFailureRecord,
  StageStart,
  TransitionInput,
} from '../../handlers/ports/run-store';
import { InvalidRunStateInputError, RunConflictError, RunNotFoundError } from '../../handlers/ports/run-store-errors';
import { batchGet } from './batch-items';
import { isConditionalCheckFailed, translateDynamoDbError } from './dynamodb-errors';
import { EventTimeIndex } from './event-time-index';
import { expressionNames } from './expression-names';
import { PendingCrawls } from './pending-crawls';
import { StageFailures } from './stage-failures';
import { queryAll } from './query-all';
import { readRunAndStage, updateItem, type RunTable } from './run-item-access';
import { EventItemSchema, legacyStageEntry, LegacyStageItemSchema, parseItem, PartitionItemSchema, RunItemSchema, toRunSummary, toStageRecord, toTimelineEntry, type RunItem } from './run-store-items';
import { checkName, checkRunId, checkText, normaliseInstant, normaliseRange, RunKeys } from './run-store-keys';
import { RunStateIndex } from './run-state-index';
import { RunTransitions } from './run-transitions';
import { RunTableSchema } from './tables';

/** How to reach the run table: a DynamoDB client (AWS or dynalite), the table name, and a clock. */
export interface DynamoDbRunStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName?: string;
  readonly now?: () => Date;
}

const CursorSchema = z.object({ pk: z.string(), sk: z.string(), gsi1pk: z.string(), gsi1sk: z.string() });
/**
 * The run store on DynamoDB, through `@aws-sdk/lib-dynamodb`, used unchanged on AWS and against
 * dynalite. No transactions (dynalite has none): each write is idempotent and multi-item changes are
 * ordered so that the last write commits — a transition writes its timeline entry (and any
 * de-indexing) first, then one conditional update of the run item that holds the stage's state and
 * its lineage (the run's summary is its newest stage entry), so a crash in between is healed by the
 * retry and a stale or duplicate transition changes nothing (but the lineage it carries).
 */
export class DynamoDbRunStore implements RunStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly now: () => Date;
  private readonly index: EventTimeIndex;
  private readonly crawls: PendingCrawls;
  private readonly failures: StageFailures;
  private readonly transitions: RunTransitions;
  private readonly states: RunStateIndex;
  private readonly runTable: RunTable;

  constructor(options: DynamoDbRunStoreOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.table = options.tableName ?? RunTableSchema.defaultName;
    this.now = options.now ?? (() => new Date());
    this.index = new EventTimeIndex(this.doc, this.table);
    this.crawls = new PendingCrawls(this.doc, this.table);
    this.failures = new StageFailures(this.doc, this.table);
    this.runTable = { doc: this.doc, name: this.table };
    this.states = new RunStateIndex(this.runTable, () => this.allRunItems());
    this.transitions = new RunTransitions(this.runTable, this.now, this.index, this.states);
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

  async setEventTimeRange(runId: string, range: EventTimeRange, rows?: number): Promise<void> {
    const normalised = normaliseRange(range);
    if (rows !== undefined && (!Number.isSafeInteger(rows) || rows < 0)) throw new InvalidRunStateInputError(`rows must be a whole number >= 0, got ${JSON.stringify(rows)} (run ${runId})`);
    const old = await updateItem(this.runTable, 
      {
        Key: RunKeys.run(checkRunId(runId)),
        UpdateExpression: `SET #minTime = :min, #maxTime = :max${rows === undefined ? '' : ', #rowsAtLanding = :rows'}`,
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeValues: { ':min': normalised.min, ':max': normalised.max, ...(rows === undefined ? {} : { ':rows': rows }) },
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

  transition(input: TransitionInput): Promise<{ applied: boolean }> {
    return this.transitions.transition(input);
  }

  transitionMany(inputs: readonly TransitionInput[]): Promise<{ applied: boolean }[]> {
    return this.transitions.transitionMany(inputs);
  }

  recordStarts(starts: readonly StageStart[]): Promise<void> {
    return this.transitions.recordStarts(starts);
  }

  async recordForecastLineage(input: { dataset: string; partition: string; outputs: readonly string[] }): Promise<void> {
    const dataset = checkName(input.dataset, 'dataset');
    const partition = checkText(input.partition, 'partition');
    const outputs = new Set(input.outputs.map((o) => checkText(o, 'forecast output')));
    if (outputs.size === 0) return;
    await updateItem(this.runTable, 
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
    for (const legacy of items.filter((i) => sk(i).startsWith('STAGE#')).map((i) => parseItem(LegacyStageItemSchema, i, 'stage'))) byStage.set(legacy.stage, toStageRecord(legacy.stage, legacyStageEntry(legacy)));
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
    // The index only finds the runs; their state is read from the run items themselves (consistent
    // reads). A GSI is eventually consistent on DynamoDB, and dynalite writes an item and its index
    // entry apart, so a crash in between can leave an entry of a landing that was then recorded again
    // at another time: an entry whose run item has another sort key is such a ghost, and is left out.
    const listed = (out.Items ?? []).map((i) => parseItem(RunItemSchema, i, 'run'));
    const items = new Map((await batchGet(this.doc, this.table, [...new Set(listed.map((r) => r.runId))].map((id) => RunKeys.run(id)))).map((i) => [String(i.pk), i]));
    const runs = listed.flatMap((entry) => {
      const item = items.get(RunKeys.run(entry.runId).pk);
      if (item === undefined || item.gsi1sk !== RunKeys.runsSort(entry.landedAt, entry.runId)) return [];
      return [toRunSummary(parseItem(RunItemSchema, item, 'run'))];
    });
    return out.LastEvaluatedKey === undefined ? { runs } : { runs, cursor: Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url') };
  }

  async listRunsIn(dataset: string, state: RunState): Promise<RunSummary[]> {
    return this.states.list(checkName(dataset, 'dataset'), state);
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

  async recordStageFailure(failure: StageFailureRecord): Promise<void> {
    await this.failures.record({
      ...failure,
      stage: checkName(failure.stage, 'stage'),
      ...(failure.dataset !== undefined ? { dataset: checkName(failure.dataset, 'dataset') } : {}),
      ...(failure.zone !== undefined ? { zone: checkName(failure.zone, 'zone') } : {}),
      error: { ...failure.error, message: failure.error.message.slice(0, 4000) },
      at: normaliseInstant(failure.at, 'at'),
    });
  }

  async clearStageFailure(stage: string, dataset?: string, zone?: string): Promise<void> {
    await this.failures.clear(checkName(stage, 'stage'), dataset === undefined ? '' : checkName(dataset, 'dataset'), zone === undefined ? '' : checkName(zone, 'zone'));
  }

  async listStageFailures(): Promise<StageFailureRecord[]> {
    return this.failures.list();
  }

  /** Every run item, found through the runs index and read consistently (for indexing a table once). */
  private async allRunItems(): Promise<RunItem[]> {
    const listed = await queryAll(
      this.doc,
      { TableName: this.table, IndexName: RunTableSchema.runsIndex, KeyConditionExpression: '#gsi1pk = :runs', ExpressionAttributeNames: expressionNames('#gsi1pk'), ExpressionAttributeValues: { ':runs': RunKeys.runsPartition }, ProjectionExpression: 'runId' },
      'list every run',
    );
    const ids = [...new Set(listed.map((i) => String(i.runId)))];
    return (await batchGet(this.doc, this.table, ids.map((id) => RunKeys.run(id)))).map((i) => parseItem(RunItemSchema, i, 'run'));
  }

  private async getRunItem(runId: string): Promise<RunItem | undefined> {
    const [raw] = await readRunAndStage(this.runTable, runId);
    return raw === undefined ? undefined : parseItem(RunItemSchema, raw, 'run');
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
