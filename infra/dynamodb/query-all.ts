import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { translateDynamoDbError } from './dynamodb-errors';

/**
 * Runs a Query to the end, following `LastEvaluatedKey`, and returns every item. For bounded item
 * collections only (one run, one day of one dataset); listings that can grow use a page cursor.
 */
export async function queryAll(doc: DynamoDBDocumentClient, input: QueryCommandInput, what: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey })).catch((e: unknown) => {
      throw translateDynamoDbError(e, what);
    });
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}
