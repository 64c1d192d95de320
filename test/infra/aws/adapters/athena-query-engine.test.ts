import { AthenaServiceException, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { AthenaQueryEngine } from '../../../../infra/aws/adapters/athena-query-engine';
import { runQuery } from '../../../../handlers/ports/query-engine';
import { queryEngineContract } from '../../../handlers/ports/query-engine.contract';
import { makeLake } from '../../emulators/query/query-fixtures';
import { AthenaEmulator } from './athena-emulator';

queryEngineContract('AthenaQueryEngine (aws-sdk-client-mock emulating Athena over the local engine)', async () => {
  const lake = await makeLake();
  const athena = new AthenaEmulator(lake.engine, ['tributary']);
  return {
    engine: new AthenaQueryEngine(athena.client, { workGroups: ['tributary'] }),
    cleanup: async () => {
      athena.restore();
      await lake.cleanup();
    },
  };
});

describe('AthenaQueryEngine', () => {
  it('runs a query in the workgroup the caller names when it is ours, else in the default one', async () => {
    const lake = await makeLake();
    const athena = new AthenaEmulator(lake.engine, ['tributary', 'tributary-read']);
    try {
      const engine = new AthenaQueryEngine(athena.client, { workGroups: ['tributary', 'tributary-read'], database: 'contract_db' });
      const execution = await runQuery(engine, { QueryString: 'SELECT count(*) FROM readings', WorkGroup: 'primary' }, { timeoutMs: 20000 });
      await runQuery(engine, { QueryString: 'SELECT 1', WorkGroup: 'tributary-read' }, { timeoutMs: 20000 });
      expect(athena.workGroupsUsed).toEqual(['tributary', 'tributary-read']);
      expect(execution).toMatchObject({ WorkGroup: 'tributary', Status: { State: 'SUCCEEDED' }, QueryExecutionContext: { Database: 'contract_db' } });
    } finally {
      athena.restore();
      await lake.cleanup();
    }
  });

  it('marks TooManyRequestsException retryable and a bad request poison', async () => {
    const lake = await makeLake();
    const athena = new AthenaEmulator(lake.engine, ['tributary']);
    await expect(new AthenaQueryEngine(athena.client, { workGroups: ['nope'] }).startQueryExecution({ QueryString: 'SELECT 1' })).rejects.toMatchObject({ code: 'InvalidRequestException', retryable: false });
    const mock = mockClient(athena.client);
    try {
      mock.on(StartQueryExecutionCommand).rejectsOnce(new AthenaServiceException({ name: 'TooManyRequestsException', $fault: 'client', message: 'Rate exceeded', $metadata: {} }));
      const engine = new AthenaQueryEngine(athena.client, { workGroups: ['tributary'] });
      await expect(engine.startQueryExecution({ QueryString: 'SELECT 1' })).rejects.toMatchObject({ code: 'TooManyRequestsException', retryable: true });
    } finally {
      mock.restore();
      athena.restore();
      await lake.cleanup();
    }
  });
});
