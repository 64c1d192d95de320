import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PendingCrawl } from '../../handlers/ports/run-store';
import { isConditionalCheckFailed, translateDynamoDbError } from './dynamodb-errors';
import { expressionNames } from './expression-names';
import { CrawlItemSchema, parseItem } from './run-store-items';
import { RunKeys } from './run-store-keys';

const MARK = 'SET #dataset = :dataset, #zone = :zone, #version = if_not_exists(#version, :version), #since = if_not_exists(#since, :at) ADD #requests :one';

/**
 * The pending-crawl flags, one item per dataset and zone. Setting is one atomic UpdateItem
 * (`if_not_exists` keeps the first version, `ADD` counts requests); clearing is a DeleteItem
 * conditioned on the version read, so a flag set again after the read is never cleared by mistake.
 */
export class PendingCrawls {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Sets the flag if absent, else counts one more request; `created` tells which. */
  async mark(dataset: string, zone: string, at: string): Promise<{ created: boolean; pending: PendingCrawl }> {
    const version = randomUUID();
    const out = await this.doc
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: RunKeys.crawl(dataset, zone),
          UpdateExpression: MARK,
          ExpressionAttributeNames: expressionNames(MARK),
          ExpressionAttributeValues: { ':dataset': dataset, ':zone': zone, ':version': version, ':at': at, ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      )
      .catch((e: unknown) => {
        throw translateDynamoDbError(e, `mark crawl pending ${dataset}/${zone}`);
      });
    const pending = parseItem(CrawlItemSchema, out.Attributes, 'pending crawl');
    return { created: pending.version === version, pending };
  }

  /** The flag, read consistently, or undefined when none is set. */
  async get(dataset: string, zone: string): Promise<PendingCrawl | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: RunKeys.crawl(dataset, zone), ConsistentRead: true })).catch((e: unknown) => {
      throw translateDynamoDbError(e, `get pending crawl ${dataset}/${zone}`);
    });
    return out.Item === undefined ? undefined : parseItem(CrawlItemSchema, out.Item, 'pending crawl');
  }

  /** Deletes the flag if it still carries `version`; false when it is gone or was set again. */
  async clear(dataset: string, zone: string, version: string): Promise<boolean> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: RunKeys.crawl(dataset, zone),
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: expressionNames('#version'),
          ExpressionAttributeValues: { ':version': version },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionalCheckFailed(e)) return false;
      throw translateDynamoDbError(e, `clear pending crawl ${dataset}/${zone}`);
    }
  }
}
