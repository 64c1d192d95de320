import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  InvalidRequestException,
  StartQueryExecutionCommand,
  type StartQueryExecutionCommandInput,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import type { QueryEnginePort } from '../../../../handlers/ports/query-engine';

const invalid = (message: string): InvalidRequestException => new InvalidRequestException({ message, $metadata: { httpStatusCode: 400 } });

/**
 * Test double of Amazon Athena behind `aws-sdk-client-mock`. The SQL itself runs on a real engine —
 * the local DuckDB engine, which implements Athena's semantics (states, header row, Trino types, error
 * texts) and has its own tests — so only the wire shapes are emulated here: API-level refusals become
 * `InvalidRequestException` with Athena's message, unknown workgroups and too-short request tokens are
 * refused as Athena refuses them, and every start records the workgroup it named.
 */
export class AthenaEmulator {
  readonly client = new AthenaClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  readonly workGroupsUsed: string[] = [];
  private readonly mock = mockClient(this.client);

  constructor(engine: QueryEnginePort, workGroups: readonly string[]) {
    this.mock.on(StartQueryExecutionCommand).callsFake(async (input: StartQueryExecutionCommandInput) => {
      const workGroup = input.WorkGroup ?? 'primary';
      if (!workGroups.includes(workGroup)) throw invalid(`WorkGroup ${workGroup} is not found.`);
      const token = input.ClientRequestToken;
      if (token !== undefined && (token.length < 32 || token.length > 128)) throw invalid('ClientRequestToken must be 32-128 characters');
      this.workGroupsUsed.push(workGroup);
      return this.wrap(() => engine.startQueryExecution({ ...input, QueryString: input.QueryString ?? '', WorkGroup: workGroup }));
    });
    this.mock.on(GetQueryExecutionCommand).callsFake(async ({ QueryExecutionId }) => ({ QueryExecution: await this.wrap(() => engine.getQueryExecution(String(QueryExecutionId))) }));
    this.mock.on(GetQueryResultsCommand).callsFake(async ({ QueryExecutionId, MaxResults, NextToken }) => this.wrap(() => engine.getQueryResults(String(QueryExecutionId), { MaxResults, NextToken })));
  }

  restore(): void {
    this.mock.restore();
  }

  private async wrap<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw invalid(error instanceof Error ? error.message : String(error));
    }
  }
}
