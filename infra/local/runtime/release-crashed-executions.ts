import { DeleteItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IdempotencyTableSchema } from '../../dynamodb/tables';

/** Powertools' status of a record whose execution has not finished. */
const IN_PROGRESS = 'INPROGRESS';

/**
 * Releases the idempotency keys that executions of a previous process still held when it died
 * (kill -9, power loss): Powertools marks a key INPROGRESS while its function runs, and a record
 * left behind blocks every redelivery of that event until the in-progress hold expires (15 minutes),
 * longer than the bus retries — so the event would be dead-lettered and its runs never finish.
 * Call it only from the process that owns the home's store, before delivery starts: then no
 * execution of this home is running anywhere, and every INPROGRESS record is an orphan.
 * Each delete is conditional on the record still being INPROGRESS. Returns how many were released.
 */
export async function releaseCrashedExecutions(client: DynamoDBClient, tableName: string): Promise<number> {
  let released = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#s = :p',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':p': { S: IN_PROGRESS } },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const id = item[IdempotencyTableSchema.partitionKey];
      if (!id) continue;
      try {
        await client.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: { [IdempotencyTableSchema.partitionKey]: id },
            ConditionExpression: '#s = :p',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':p': { S: IN_PROGRESS } },
          }),
        );
        released++;
      } catch (err) {
        if (!(err instanceof Error && err.name === 'ConditionalCheckFailedException')) throw err;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return released;
}
