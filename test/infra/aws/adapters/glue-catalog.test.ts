import { GetTableCommand, GlueServiceException } from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { GlueCatalog } from '../../../../infra/aws/adapters/glue-catalog';
import { catalogContract, tableInput } from '../../../handlers/ports/catalog.contract';
import { GlueEmulator } from './glue-emulator';

catalogContract('GlueCatalog (aws-sdk-client-mock emulating the Glue Data Catalog)', async () => {
  const glue = new GlueEmulator();
  return { catalog: new GlueCatalog(glue.client), dispose: async () => glue.restore() };
});

describe('GlueCatalog', () => {
  let glue: GlueEmulator;
  beforeEach(() => {
    glue = new GlueEmulator();
  });
  afterEach(() => glue.restore());

  it('splits partition batches to Glue limits and follows NextToken across pages', async () => {
    const catalog = new GlueCatalog(glue.client);
    await catalog.createDatabase({ Name: 'lake' });
    await catalog.createTable('lake', tableInput('t'));
    const parts = Array.from({ length: 230 }, (_, i) => ({ Values: [String(i)], StorageDescriptor: { Columns: [], Location: `s3://b/t/dt=${i}/` } }));
    expect(await catalog.batchCreatePartition('lake', 't', parts)).toEqual({ alreadyExists: [] });
    expect(await catalog.getPartitions('lake', 't')).toHaveLength(230);
    await catalog.batchDeletePartition('lake', 't', parts.slice(0, 60).map((p) => p.Values));
    expect(await catalog.getPartitions('lake', 't')).toHaveLength(170);
  });

  it('marks a throttled call retryable', async () => {
    const mock = mockClient(glue.client);
    mock.on(GetTableCommand).rejects(new GlueServiceException({ name: 'ThrottlingException', $fault: 'client', message: 'Rate exceeded', $metadata: {} }));
    await expect(new GlueCatalog(glue.client).getTable('lake', 't')).rejects.toMatchObject({ code: 'ThrottlingException', retryable: true });
    mock.restore();
  });
});
