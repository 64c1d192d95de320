import { AthenaClient, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { botocoreDataDir, serviceModel } from './botocore-models';
import { takeViolations } from './violation-log';
import { validateRequest } from './validate-request';

const offline = { region: 'us-east-1', endpoint: 'http://127.0.0.1:9', maxAttempts: 1, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
const describeWithBotocore = botocoreDataDir() === null ? describe.skip : describe;

describeWithBotocore('validateRequest against botocore models', () => {
  it('names the member and the limit a request breaks', () => {
    const athena = serviceModel('Athena');
    expect(validateRequest(athena, 'StartQueryExecution', { QueryString: 'SELECT 1', ClientRequestToken: 'refine-0123456789abcdef', WorkGroup: 'bad name!' })).toEqual([
      { path: 'ClientRequestToken', problem: 'length 23 is below the minimum 32' },
      { path: 'WorkGroup', problem: '"bad name!" does not match the pattern [a-zA-Z0-9._-]{1,128}' },
    ]);
    expect(validateRequest(athena, 'StartQueryExecution', { QueryString: 'SELECT 1', ClientRequestToken: 'x'.repeat(32) })).toEqual([]);
  });

  it('walks nested structures, lists, maps, types, enums, required and unknown members', () => {
    const glue = serviceModel('Glue');
    const violations = validateRequest(glue, 'CreateTable', {
      DatabaseName: 'db',
      TableInput: { Name: 't', Owner: 'me', Parameters: { ['k'.repeat(256)]: 'v' }, StorageDescriptor: { Columns: [{ Name: 'a' }, { Type: 'int' }] }, Colour: 'red' },
    });
    expect(violations.map((v) => `${v.path}: ${v.problem}`)).toEqual([
      `TableInput.Parameters{key "${'k'.repeat(256)}"}: length 256 is above the maximum 255`,
      'TableInput.StorageDescriptor.Columns[1].Name: is required but missing',
      'TableInput.Colour: is not a member of this shape',
    ]);
    expect(validateRequest(glue, 'CreateCrawler', { Name: 'c', Role: 'r', Targets: {}, SchemaChangePolicy: { UpdateBehavior: 'MERGE' } })).toEqual([
      { path: 'SchemaChangePolicy.UpdateBehavior', problem: '"MERGE" is not one of LOG, UPDATE_IN_DATABASE' },
    ]);
    expect(validateRequest(serviceModel('S3'), 'PutObject', { Bucket: 'b', Key: 'k', Body: 'x', ContentLength: '1', ChecksumAlgorithm: 'BLAKE3' })).toEqual([
      { path: 'ContentLength', problem: 'expected a long, got string' },
      { path: 'ChecksumAlgorithm', problem: expect.stringMatching(/^"BLAKE3" is not one of CRC32, CRC32C, /) },
    ]);
  });

  it('records a bad request sent through a mocked client, a real client or the DynamoDB document client, and still sends it', async () => {
    const athena = new AthenaClient(offline);
    const mock = mockClient(athena).on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q' });
    await athena.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', ClientRequestToken: 'refine-0123456789abcdef' }));
    expect(mock.calls()).toHaveLength(1);
    mock.reset();
    expect(await athena.send(new StartQueryExecutionCommand({ QueryString: '' }))).toBeUndefined();
    mock.restore();
    expect(takeViolations()).toEqual([
      'Athena StartQueryExecution request breaks the AWS API model: ClientRequestToken length 23 is below the minimum 32',
      'Athena StartQueryExecution request breaks the AWS API model: QueryString length 0 is below the minimum 1',
    ]);
    const entry = { Source: 'tributary', DetailType: 'X', Detail: '{}' };
    await expect(new EventBridgeClient(offline).send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry) }))).rejects.toThrow(/ECONNREFUSED/);
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient(offline));
    await expect(documents.send(new PutCommand({ TableName: 'runs', Item: { id: 'x' }, ReturnValues: 'EVERYTHING' as 'ALL_OLD' }))).rejects.toThrow(/ECONNREFUSED/);
    expect(takeViolations()).toEqual([
      'EventBridge PutEvents request breaks the AWS API model: Entries size 11 is above the maximum 10',
      'DynamoDB PutItem request breaks the AWS API model: ReturnValues "EVERYTHING" is not one of NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW',
    ]);
  });
});
