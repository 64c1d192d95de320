import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The two DynamoDB tables of run state, as data: names, keys and index. The embedded default creates
 * them in dynalite from these definitions and the CDK stack declares the same keys, so the adapter's
 * queries run unchanged on both.
 *
 * Run table (single-table design, every key a string):
 * - `pk` / `sk`: `RUN#<runId>` / `RUN` (the landing, each stage's state in `stages`, lineage),
 *   `EVENT#<at>#<rank>#<stage>` (timeline), `STAGE#<stage>` (stage state as an earlier version kept it; read only);
 *   `PART#<dataset>#<partition>` / `PART` (lineage of one refined partition);
 *   `EVT#<dataset>#<yyyy-mm-dd>` / `<runId>` (event-time index, one item per UTC day an object spans);
 *   `CRAWL#<dataset>#<zone>` / `CRAWL` (pending-crawl flag);
 *   `WAIT#<dataset>#<stage>#<status>` / `<runId>` (runs in a waiting state, run-state-index.ts), and
 *   `WAIT-INDEX` / `v1` (that index was built).
 * - GSI `runs-by-time`: `gsi1pk` = `RUNS`, `gsi1sk` = `<landedAt>#<runId>`, listing runs newest first.
 *   One index partition holds every run: fine up to ~1,000 landings/s (a GSI partition's write limit).
 *
 * Idempotency table: hash key `id`, TTL attribute `expiration`, as Powertools' DynamoDB layer expects.
 */
export const RunTableSchema = {
  defaultName: 'tributary-runs',
  partitionKey: 'pk',
  sortKey: 'sk',
  runsIndex: 'runs-by-time',
  runsIndexPartitionKey: 'gsi1pk',
  runsIndexSortKey: 'gsi1sk',
} as const;

/** Key and TTL attribute names of the idempotency table (Powertools' defaults). */
export const IdempotencyTableSchema = {
  defaultName: 'tributary-idempotency',
  partitionKey: 'id',
  ttlAttribute: 'expiration',
} as const;

/** CreateTable input for the run table, on-demand billing. */
export function runTableDefinition(tableName: string): CreateTableCommandInput {
  const s = RunTableSchema;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: s.partitionKey, AttributeType: 'S' },
      { AttributeName: s.sortKey, AttributeType: 'S' },
      { AttributeName: s.runsIndexPartitionKey, AttributeType: 'S' },
      { AttributeName: s.runsIndexSortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: s.partitionKey, KeyType: 'HASH' },
      { AttributeName: s.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: s.runsIndex,
        KeySchema: [
          { AttributeName: s.runsIndexPartitionKey, KeyType: 'HASH' },
          { AttributeName: s.runsIndexSortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

/** CreateTable input for the idempotency table; TTL is set separately (UpdateTimeToLive). */
export function idempotencyTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: IdempotencyTableSchema.partitionKey, AttributeType: 'S' }],
    KeySchema: [{ AttributeName: IdempotencyTableSchema.partitionKey, KeyType: 'HASH' }],
  };
}
