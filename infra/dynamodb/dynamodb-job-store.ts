import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { JobRecord, JobStore } from '../../handlers/ports/job-store';
import { batchGet } from './batch-items';
import { isConditionalCheckFailed, translateDynamoDbError } from './dynamodb-errors';
import { RunTableSchema } from './tables';

/**
 * The job store in the run table (single-table design): `JOB#<kind>#<id>` / `JOB` holds a job's
 * record as a JSON string; `GEN#<table>#<partition>` / `GEN` holds the latest writer of a partition,
 * advanced only forward by a conditional put. Same code on AWS and against dynalite.
 */
export class DynamoDbJobStore implements JobStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(options: { client: DynamoDBClient; tableName?: string }) {
    this.doc = DynamoDBDocumentClient.from(options.client);
    this.table = options.tableName ?? RunTableSchema.defaultName;
  }

  async putJob(kind: string, id: string, record: JobRecord): Promise<void> {
    const item = { pk: `JOB#${kind}#${id}`, sk: 'JOB', record: JSON.stringify(record) };
    await this.doc.send(new PutCommand({ TableName: this.table, Item: item })).catch((e: unknown) => {
      throw translateDynamoDbError(e, `record ${kind} job ${id}`);
    });
  }

  async getJob(kind: string, id: string): Promise<JobRecord | undefined> {
    const out = await this.doc
      .send(new GetCommand({ TableName: this.table, Key: { pk: `JOB#${kind}#${id}`, sk: 'JOB' }, ConsistentRead: true }))
      .catch((e: unknown) => {
        throw translateDynamoDbError(e, `read ${kind} job ${id}`);
      });
    const text: unknown = out.Item?.['record'];
    if (typeof text !== 'string') return undefined;
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : undefined;
  }

  async claimPartition(table: string, partition: string, generation: string): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...generationKey(table, partition), generation },
          ConditionExpression: 'attribute_not_exists(pk) OR generation <= :g',
          ExpressionAttributeValues: { ':g': generation },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionalCheckFailed(e)) return false;
      throw translateDynamoDbError(e, `claim partition ${table}/${partition}`);
    }
  }

  async heldPartitions(table: string, partitions: readonly string[], generation: string): Promise<Set<string>> {
    const items = await batchGet(this.doc, this.table, [...new Set(partitions)].map((p) => generationKey(table, p)));
    const held = new Set(items.filter((i) => i['generation'] === generation).map((i) => String(i['pk'])));
    return new Set(partitions.filter((p) => held.has(generationKey(table, p).pk)));
  }
}

function generationKey(table: string, partition: string): { pk: string; sk: string } {
  return { pk: `GEN#${table}#${partition}`, sk: 'GEN' };
}

function isRecord(value: unknown): value is JobRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
