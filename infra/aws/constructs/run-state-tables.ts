import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { IdempotencyTableSchema, RunTableSchema } from '../../dynamodb/tables';

/** The run table's name for a prefix (`tributary-runs`, as the embedded default names it). */
export function runTableName(prefix: string): string {
  return `${prefix}-runs`;
}

/**
 * The two DynamoDB tables of run state, keyed exactly as `infra/dynamodb/tables.ts` defines them (the
 * schema constants are read, not copied), so the run store and Powertools idempotency run unchanged on
 * AWS and against dynalite. On-demand billing (nothing to pay while idle), point-in-time recovery,
 * AWS-managed encryption; idempotency records expire through the TTL attribute Powertools writes.
 * Runs are the pipeline's audit trail and are kept (the run store writes no expiry attribute). The
 * tables are named from the prefix so `tributary … --aws` finds them without asking CloudFormation.
 */
export class RunStateTables extends Construct {
  readonly runs: dynamodb.Table;
  readonly idempotency: dynamodb.Table;

  constructor(scope: Construct, id: string, props: { readonly prefix: string }) {
    super(scope, id);
    const base = {
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
    } as const;
    const s = RunTableSchema;
    this.runs = new dynamodb.Table(this, 'Runs', {
      ...base,
      tableName: runTableName(props.prefix),
      partitionKey: { name: s.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: s.sortKey, type: dynamodb.AttributeType.STRING },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.runs.addGlobalSecondaryIndex({
      indexName: s.runsIndex,
      partitionKey: { name: s.runsIndexPartitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: s.runsIndexSortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    this.idempotency = new dynamodb.Table(this, 'Idempotency', {
      ...base,
      tableName: `${props.prefix}-idempotency`,
      partitionKey: { name: IdempotencyTableSchema.partitionKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: IdempotencyTableSchema.ttlAttribute,
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
