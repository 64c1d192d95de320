import { UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { batchGet } from './batch-items';
import { isConditionalCheckFailed, translateDynamoDbError } from './dynamodb-errors';
import { expressionNames } from './expression-names';
import { RunKeys } from './run-store-keys';

/** The run table and the client that reaches it. */
export interface RunTable {
  readonly doc: DynamoDBDocumentClient;
  readonly name: string;
}

/**
 * One UpdateItem on the run table, with `ExpressionAttributeNames` derived from the expressions
 * (names the input gives win); 'condition-failed' when its condition did not hold.
 */
export async function updateItem(table: RunTable, input: Omit<UpdateCommandInput, 'TableName'>, what: string): Promise<Record<string, unknown> | undefined | 'condition-failed'> {
  try {
    const names = { ...expressionNames(input.UpdateExpression ?? '', input.ConditionExpression ?? ''), ...input.ExpressionAttributeNames };
    const out = await table.doc.send(new UpdateCommand({ ...input, TableName: table.name, ExpressionAttributeNames: names }));
    return out.Attributes;
  } catch (e) {
    if (isConditionalCheckFailed(e)) return 'condition-failed';
    throw translateDynamoDbError(e, what);
  }
}

/** A run's item and, when `stage` is given, its legacy `STAGE#<stage>` item, in one consistent batched read. */
export async function readRunAndStage(table: RunTable, runId: string, stage?: string): Promise<[Record<string, unknown> | undefined, Record<string, unknown> | undefined]> {
  const keys = stage === undefined ? [RunKeys.run(runId)] : [RunKeys.run(runId), RunKeys.stage(runId, stage)];
  const items = await batchGet(table.doc, table.name, keys);
  const find = (sk: string): Record<string, unknown> | undefined => items.find((i) => i.sk === sk);
  return [find('RUN'), stage === undefined ? undefined : find(`STAGE#${stage}`)];
}
