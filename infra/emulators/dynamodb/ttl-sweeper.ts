import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { IdempotencyTableSchema } from '../../dynamodb/tables';

/**
 * Deletes the idempotency records whose TTL attribute (`expiration`, epoch seconds) has passed, and
 * returns how many it deleted.
 *
 * dynalite implements neither UpdateTimeToLive nor TTL deletion, so the embedded default does what
 * DynamoDB's TTL process does, at start-up and then periodically: each delete is conditioned on the
 * record still being expired, so a record rewritten since the scan survives. Correctness never depends
 * on it (Powertools treats an expired record as absent), only the table's size does.
 */
export async function sweepExpiredRecords(client: DynamoDBClient, tableName: string, nowMs = Date.now()): Promise<number> {
  const doc = DynamoDBDocumentClient.from(client);
  const ttl = IdempotencyTableSchema.ttlAttribute;
  const key = IdempotencyTableSchema.partitionKey;
  const now = Math.floor(nowMs / 1000);
  let deleted = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#ttl < :now',
        ProjectionExpression: '#key',
        ExpressionAttributeNames: { '#ttl': ttl, '#key': key },
        ExpressionAttributeValues: { ':now': now },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      try {
        await doc.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { [key]: item[key] },
            ConditionExpression: '#ttl < :now',
            ExpressionAttributeNames: { '#ttl': ttl },
            ExpressionAttributeValues: { ':now': now },
          }),
        );
        deleted++;
      } catch (e) {
        if (!(e instanceof Error && e.name === 'ConditionalCheckFailedException')) throw e;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return deleted;
}
