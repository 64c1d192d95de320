import { CreateTableCommand, DescribeTableCommand, ListTablesCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { idempotencyTableDefinition, runTableDefinition } from '../../dynamodb/tables';

/** The table names the embedded default uses. */
export interface LocalTableNames {
  readonly runs: string;
  readonly idempotency: string;
}

/**
 * Creates the run and idempotency tables if they are missing and waits until both are ACTIVE, so a
 * fresh home works at once and an existing one keeps its data. On AWS the CDK stack creates them;
 * this is the embedded default's equivalent. TTL is not enabled here: dynalite has no
 * UpdateTimeToLive (see ttl-sweeper.ts for how expired idempotency records are removed locally).
 */
export async function ensureTables(client: DynamoDBClient, names: LocalTableNames): Promise<void> {
  const existing = new Set<string>();
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const name of page.TableNames ?? []) existing.add(name);
    start = page.LastEvaluatedTableName;
  } while (start !== undefined);
  const wanted = [runTableDefinition(names.runs), idempotencyTableDefinition(names.idempotency)];
  for (const definition of wanted) {
    if (definition.TableName === undefined || existing.has(definition.TableName)) continue;
    await client.send(new CreateTableCommand(definition)).catch((e: unknown) => {
      if (!(e instanceof Error && e.name === 'ResourceInUseException')) throw e;
    });
  }
  for (const definition of wanted) await waitActive(client, definition.TableName ?? '');
}

async function waitActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`table ${tableName} did not become ACTIVE within 5 s`);
}
