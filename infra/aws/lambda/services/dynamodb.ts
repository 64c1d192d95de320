import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { StageDeps } from '../../../../handlers/stage-deps';
import { DynamoDbJobStore } from '../../../dynamodb/dynamodb-job-store';
import { DynamoDbRunStore } from '../../../dynamodb/dynamodb-run-store';
import { PowertoolsIdempotency } from '../../../dynamodb/idempotency';
import { RuntimeEnvName, type RuntimeEnv } from '../runtime-env';

/** A new DynamoDB client (region and credentials from the Lambda environment). */
export const client = (): DynamoDBClient => new DynamoDBClient({});

/** The run store and job store (one table) and Powertools idempotency, the same code the embedded default runs on dynalite. */
export function ports(dynamodb: DynamoDBClient, env: RuntimeEnv): Pick<StageDeps, 'runs' | 'jobs' | 'idempotency'> {
  const tableName = env[RuntimeEnvName.RunTable];
  return {
    runs: new DynamoDbRunStore({ client: dynamodb, tableName }),
    jobs: new DynamoDbJobStore({ client: dynamodb, tableName }),
    idempotency: new PowertoolsIdempotency({ client: dynamodb, tableName: env[RuntimeEnvName.IdempotencyTable] }),
  };
}
