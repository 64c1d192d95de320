import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StageFailureRecord } from '../../handlers/ports/run-store';
import { translateDynamoDbError } from './dynamodb-errors';
import { queryAll } from './query-all';
import { parseItem, StageFailureItemSchema } from './run-store-items';
import { RunKeys } from './run-store-keys';

/**
 * Open run-less stage failures, one item per stage, dataset and zone in one item collection (a
 * handful at most: each is a broken view or crawl a person has to look at). Opening overwrites the
 * item with the newest failure; closing deletes it (a delete of an absent item is a no-op).
 */
export class StageFailures {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(failure: StageFailureRecord): Promise<void> {
    const dataset = failure.dataset ?? '';
    const zone = failure.zone ?? '';
    const item = { ...RunKeys.stageFailure(failure.stage, dataset, zone), stage: failure.stage, dataset, zone, errorClass: failure.error.errorClass, message: failure.error.message, retryable: failure.error.retryable, at: failure.at };
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: item })).catch((e: unknown) => {
      throw translateDynamoDbError(e, `record the failure of ${failure.stage}`);
    });
  }

  async clear(stage: string, dataset: string, zone: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: RunKeys.stageFailure(stage, dataset, zone) })).catch((e: unknown) => {
      throw translateDynamoDbError(e, `clear the failure of ${stage}`);
    });
  }

  async list(): Promise<StageFailureRecord[]> {
    const items = await queryAll(this.doc, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': RunKeys.stageFailuresPartition }, ConsistentRead: true }, 'list stage failures');
    return items.map((raw) => {
      const i = parseItem(StageFailureItemSchema, raw, 'stage failure');
      return { stage: i.stage, ...(i.dataset ? { dataset: i.dataset } : {}), ...(i.zone ? { zone: i.zone } : {}), error: { errorClass: i.errorClass, message: i.message, retryable: i.retryable }, at: i.at };
    });
  }
}
