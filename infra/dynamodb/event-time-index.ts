import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventTimeRange, IndexedObject } from '../../handlers/ports/run-store';
import { InvalidRunStateInputError } from '../../handlers/ports/run-store-errors';
import { batchWrite, type WriteRequest } from './batch-items';
import { expressionNames } from './expression-names';
import { queryAll } from './query-all';
import { EventDayItemSchema, parseItem, type RunItem } from './run-store-items';
import { MAX_RANGE_DAYS, RunKeys, utcDays } from './run-store-keys';

const QUERY_CONCURRENCY = 8;

/**
 * The event-time index of raw objects: one item per UTC day an object's event-time range touches,
 * under `EVT#<dataset>#<day>`. Finding the objects that overlap a window is then one strongly
 * consistent Query per day of the window (a refine window is a few hours: one or two Queries),
 * never a Scan. Day buckets keep a file with a few very late records cheap (one item per day spanned).
 */
export class EventTimeIndex {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Indexes the run under `range`, and removes the days of `previous` that `range` no longer covers. */
  async index(run: RunItem, range: EventTimeRange, previous?: EventTimeRange): Promise<void> {
    const days = utcDays(range.min, range.max);
    const item = { runId: run.runId, bucket: run.bucket, key: run.key, etag: run.etag, size: run.size, landedAt: run.landedAt, minTime: range.min, maxTime: range.max };
    const puts: WriteRequest[] = days.map((day) => ({ PutRequest: { Item: { ...RunKeys.eventDay(run.dataset, day, run.runId), ...item } } }));
    const stale = previous ? utcDays(previous.min, previous.max).filter((day) => !days.includes(day)) : [];
    await batchWrite(this.doc, this.tableName, [...puts, ...this.deletes(run, stale)]);
  }

  /** Removes the run from the index (its file left raw, e.g. quarantined). */
  async remove(run: RunItem): Promise<void> {
    if (run.minTime === undefined || run.maxTime === undefined) return;
    await batchWrite(this.doc, this.tableName, this.deletes(run, utcDays(run.minTime, run.maxTime)));
  }

  /** Every indexed object of the dataset whose range overlaps `[from, to]`, the newest landing per bucket/key, sorted by key. */
  async find(dataset: string, from: string, to: string): Promise<IndexedObject[]> {
    if (from > to) throw new InvalidRunStateInputError(`window.from ${from} is after window.to ${to}`);
    const days = utcDays(from, to);
    if (days.length > MAX_RANGE_DAYS) throw new InvalidRunStateInputError(`window ${from} .. ${to} spans more than ${MAX_RANGE_DAYS} days`);
    const found: IndexedObject[] = [];
    for (let i = 0; i < days.length; i += QUERY_CONCURRENCY) {
      const pages = await Promise.all(days.slice(i, i + QUERY_CONCURRENCY).map((day) => this.queryDay(dataset, day, from, to)));
      found.push(...pages.flat());
    }
    return newestPerObject(found);
  }

  private async queryDay(dataset: string, day: string, from: string, to: string): Promise<IndexedObject[]> {
    const items = await queryAll(
      this.doc,
      {
        TableName: this.tableName,
        ConsistentRead: true,
        KeyConditionExpression: '#pk = :pk',
        FilterExpression: '#minTime <= :to AND #maxTime >= :from',
        ExpressionAttributeNames: expressionNames('#pk', '#minTime <= :to AND #maxTime >= :from'),
        ExpressionAttributeValues: { ':pk': RunKeys.eventDay(dataset, day, '').pk, ':from': from, ':to': to },
      },
      `Query event-time index ${dataset} ${day}`,
    );
    return items.map((raw) => {
      const item = parseItem(EventDayItemSchema, raw, 'event-time index');
      return {
        runId: item.runId,
        object: { bucket: item.bucket, key: item.key, etag: item.etag, size: item.size },
        eventTimeRange: { min: item.minTime, max: item.maxTime },
        landedAt: item.landedAt,
      };
    });
  }

  private deletes(run: RunItem, days: readonly string[]): WriteRequest[] {
    return days.map((day) => ({ DeleteRequest: { Key: RunKeys.eventDay(run.dataset, day, run.runId) } }));
  }
}

/** Keeps one entry per bucket/key: the latest landing (an overwritten object is read once, as it is now). */
function newestPerObject(found: readonly IndexedObject[]): IndexedObject[] {
  const byObject = new Map<string, IndexedObject>();
  for (const entry of found) {
    const id = `${entry.object.bucket}/${entry.object.key}`;
    const kept = byObject.get(id);
    if (!kept || entry.landedAt > kept.landedAt || (entry.landedAt === kept.landedAt && entry.runId > kept.runId)) byObject.set(id, entry);
  }
  return [...byObject.values()].sort((a, b) => (a.object.key < b.object.key ? -1 : a.object.key > b.object.key ? 1 : a.object.bucket < b.object.bucket ? -1 : 1));
}
