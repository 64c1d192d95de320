import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RunStoreUnavailableError } from '../../handlers/ports/run-store-errors';
import { translateDynamoDbError } from './dynamodb-errors';

type Item = Record<string, unknown>;
/** One write of a BatchWriteItem: a put of a whole item or a delete by key. */
export type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

const WRITE_CHUNK = 25;
const GET_CHUNK = 100;
const MAX_ROUNDS = 8;

function pause(round: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** round)));
}

/**
 * Writes every request with BatchWriteItem, 25 per call, resending unprocessed items with backoff
 * (DynamoDB returns them under throttling). Throws RunStoreUnavailableError (retryable) if some are
 * still unprocessed after the last round. Puts and deletes by key are idempotent, so a retry is safe.
 */
export async function batchWrite(doc: DynamoDBDocumentClient, tableName: string, requests: readonly WriteRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += WRITE_CHUNK) {
    let pending: WriteRequest[] = requests.slice(i, i + WRITE_CHUNK);
    for (let round = 0; pending.length > 0; round++) {
      if (round === MAX_ROUNDS) throw new RunStoreUnavailableError(`BatchWriteItem on ${tableName}: ${pending.length} items still unprocessed after ${MAX_ROUNDS} rounds`);
      if (round > 0) await pause(round);
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } })).catch((e: unknown) => {
        throw translateDynamoDbError(e, `BatchWriteItem on ${tableName}`);
      });
      pending = (out.UnprocessedItems?.[tableName] ?? []).flatMap(toWriteRequest);
    }
  }
}

function toWriteRequest(request: { PutRequest?: { Item?: Item }; DeleteRequest?: { Key?: Item } }): WriteRequest[] {
  if (request.PutRequest?.Item) return [{ PutRequest: { Item: request.PutRequest.Item } }];
  if (request.DeleteRequest?.Key) return [{ DeleteRequest: { Key: request.DeleteRequest.Key } }];
  return [];
}

/** Reads items by key with BatchGetItem (consistent reads), 100 keys per call; missing keys are absent from the result. */
export async function batchGet(doc: DynamoDBDocumentClient, tableName: string, keys: readonly Item[]): Promise<Item[]> {
  const found: Item[] = [];
  for (let i = 0; i < keys.length; i += GET_CHUNK) {
    let pending: Item[] = keys.slice(i, i + GET_CHUNK);
    for (let round = 0; pending.length > 0; round++) {
      if (round === MAX_ROUNDS) throw new RunStoreUnavailableError(`BatchGetItem on ${tableName}: ${pending.length} keys still unprocessed after ${MAX_ROUNDS} rounds`);
      if (round > 0) await pause(round);
      const out = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } })).catch((e: unknown) => {
        throw translateDynamoDbError(e, `BatchGetItem on ${tableName}`);
      });
      found.push(...(out.Responses?.[tableName] ?? []));
      pending = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return found;
}
