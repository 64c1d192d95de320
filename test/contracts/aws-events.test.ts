import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { S3EventNotificationEventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/s3';
import type { z } from 'zod';
import {
  AthenaQueryStateChangeEventSchema,
  AwsDetailType,
  AwsSource,
  GlueCrawlerState,
  GlueCrawlerStateChangeEventSchema,
  GlueJobStateChangeEventSchema,
  S3ObjectCreatedEventSchema,
  SageMakerTransformJobStateChangeEventSchema,
} from '../../contracts/aws-events';
import { parseContract } from '../../contracts/contract-violation-error';
import { DELETE, errorOf, loadEvent, withChange } from './fixtures';

const fixtures: [string, z.ZodType][] = [
  ['s3-object-created.json', S3ObjectCreatedEventSchema],
  ['glue-job-succeeded.json', GlueJobStateChangeEventSchema],
  ['glue-job-failed.json', GlueJobStateChangeEventSchema],
  ['glue-job-failed-etl.json', GlueJobStateChangeEventSchema],
  ['glue-crawler-started.json', GlueCrawlerStateChangeEventSchema],
  ['glue-crawler-succeeded.json', GlueCrawlerStateChangeEventSchema],
  ['glue-crawler-succeeded-raw.json', GlueCrawlerStateChangeEventSchema],
  ['glue-crawler-failed.json', GlueCrawlerStateChangeEventSchema],
  ['athena-query-succeeded.json', AthenaQueryStateChangeEventSchema],
  ['athena-query-failed.json', AthenaQueryStateChangeEventSchema],
  ['sagemaker-transform-job-completed-doc.json', SageMakerTransformJobStateChangeEventSchema],
  ['sagemaker-transform-job-completed.json', SageMakerTransformJobStateChangeEventSchema],
  ['sagemaker-transform-job-failed.json', SageMakerTransformJobStateChangeEventSchema],
];

describe('AWS service event contracts', () => {
  it.each(fixtures)('%s parses and loses nothing', (name, schema) => {
    const event = loadEvent(name);
    expect(parseContract(schema, event, name)).toEqual(event);
  });

  it.each(fixtures)('%s is also a valid Powertools EventBridge event', (name) => {
    expect(EventBridgeSchema.safeParse(loadEvent(name)).success).toBe(true);
  });

  it('pins each schema to its source and detail-type constant', () => {
    const pairs: [z.ZodType, string, string][] = [
      [S3ObjectCreatedEventSchema, AwsSource.S3, AwsDetailType.ObjectCreated],
      [GlueJobStateChangeEventSchema, AwsSource.Glue, AwsDetailType.GlueJobStateChange],
      [GlueCrawlerStateChangeEventSchema, AwsSource.Glue, AwsDetailType.GlueCrawlerStateChange],
      [AthenaQueryStateChangeEventSchema, AwsSource.Athena, AwsDetailType.AthenaQueryStateChange],
      [SageMakerTransformJobStateChangeEventSchema, AwsSource.SageMaker, AwsDetailType.SageMakerTransformJobStateChange],
    ];
    const s3 = loadEvent('s3-object-created.json');
    for (const [schema, source, detailType] of pairs) {
      expect(errorOf(() => parseContract(schema, { ...s3, source: 'aws.other' }, 'e'))).toContain(`source: expected "${source}"`);
      expect(errorOf(() => parseContract(schema, { ...s3, 'detail-type': 'Other' }, 'e'))).toContain(`detail-type: expected "${detailType}"`);
    }
  });

  it('keeps unknown fields that AWS may add, at every level', () => {
    const s3 = withChange(withChange(loadEvent('s3-object-created.json'), ['detail', 'newField'], 1), ['detail', 'object', 'checksum'], 'abc');
    const parsed = parseContract(S3ObjectCreatedEventSchema, s3, 's3');
    expect(parsed.detail).toMatchObject({ newField: 1, object: { checksum: 'abc' } });
  });
});

describe('S3 Object Created', () => {
  const s3 = loadEvent('s3-object-created.json');

  it('is compatible with the Powertools S3 EventBridge schema it builds on', () => {
    expect(S3EventNotificationEventBridgeSchema.safeParse(s3).success).toBe(true);
  });

  it('types the detail', () => {
    const parsed = parseContract(S3ObjectCreatedEventSchema, s3, 's3');
    const size: number = parsed.detail.object.size;
    expect([parsed.detail.bucket.name, parsed.detail.object.key, size]).toEqual(['amzn-s3-demo-bucket1', 'example-key', 5]);
  });

  it('accepts an IPv6 requester, which Powertools alone rejects', () => {
    const v6 = withChange(s3, ['detail', 'source-ip-address'], '2001:db8::1');
    expect(S3EventNotificationEventBridgeSchema.safeParse(v6).success).toBe(false);
    expect(parseContract(S3ObjectCreatedEventSchema, v6, 's3').detail['source-ip-address']).toBe('2001:db8::1');
  });

  it.each([
    [['detail', 'object', 'size'], '5', 'detail.object.size: expected number, received string'],
    [['detail', 'object', 'size'], DELETE, 'detail.object.size: expected number, received undefined'],
    [['detail', 'object', 'size'], -1, 'detail.object.size: Too small'],
    [['detail', 'object', 'etag'], DELETE, 'detail.object.etag: expected string, received undefined'],
    [['detail', 'object', 'key'], '', 'detail.object.key: Too small'],
    [['detail', 'bucket', 'name'], 7, 'detail.bucket.name: expected string, received number'],
    [['detail', 'request-id'], DELETE, 'detail.request-id: expected string'],
  ])('rejects %j = %j', (keys, value, message) => {
    expect(errorOf(() => parseContract(S3ObjectCreatedEventSchema, withChange(s3, keys, value), 's3'))).toContain(message);
  });
});

describe('Glue Crawler State Change', () => {
  const succeeded = loadEvent('glue-crawler-succeeded.json');
  const failed = loadEvent('glue-crawler-failed.json');

  it('narrows the detail by state and keeps counters as strings', () => {
    const parsed = parseContract(GlueCrawlerStateChangeEventSchema, succeeded, 'crawler');
    if (parsed.detail.state !== GlueCrawlerState.Succeeded) throw new Error('expected Succeeded');
    expect(parsed.detail['runningTime (sec)']).toBe('7');
    expect(parsed.detail.partitionsCreated).toBe('0');
    const failure = parseContract(GlueCrawlerStateChangeEventSchema, failed, 'crawler');
    if (failure.detail.state !== GlueCrawlerState.Failed) throw new Error('expected Failed');
    expect(failure.detail.errorMessage).toBe('Internal Service Exception');
  });

  it.each([
    [succeeded, ['detail', 'tablesCreated'], 0, 'detail.tablesCreated: expected string, received number'],
    [succeeded, ['detail', 'partitionsCreated'], '-1', 'detail.partitionsCreated: expected a string of digits'],
    [succeeded, ['detail', 'runningTime (sec)'], DELETE, 'detail["runningTime (sec)"]: expected string'],
    [succeeded, ['detail', 'crawlerName'], '', 'detail.crawlerName: Too small'],
    [succeeded, ['detail', 'state'], 'SUCCEEDED', 'detail.state: Invalid discriminator value'],
    [succeeded, ['detail', 'state'], 'Cancelled', 'detail.state: Invalid discriminator value'],
    [failed, ['detail', 'errorMessage'], DELETE, 'detail.errorMessage: expected string'],
  ])('rejects a malformed variant (%#)', (event, keys, value, message) => {
    expect(errorOf(() => parseContract(GlueCrawlerStateChangeEventSchema, withChange(event, keys, value), 'crawler'))).toContain(message);
  });
});

describe('Glue Job State Change', () => {
  const failed = loadEvent('glue-job-failed.json');

  it.each([
    [['detail', 'state'], 'RUNNING', 'detail.state: expected one of'],
    [['detail', 'severity'], 'FATAL', 'detail.severity: expected one of'],
    [['detail', 'jobRunId'], DELETE, 'detail.jobRunId: expected string'],
  ])('rejects %j = %j', (keys, value, message) => {
    expect(errorOf(() => parseContract(GlueJobStateChangeEventSchema, withChange(failed, keys, value), 'job'))).toContain(message);
  });
});

describe('Athena Query State Change', () => {
  const failed = loadEvent('athena-query-failed.json');

  it('exposes athenaError on a failed query', () => {
    const parsed = parseContract(AthenaQueryStateChangeEventSchema, failed, 'athena');
    expect(parsed.detail.athenaError).toEqual({ errorCategory: 2, errorType: 1306, errorMessage: '…', retryable: false });
    expect(parsed.detail.currentState).toBe('FAILED');
  });

  it.each([
    [['detail', 'sequenceNumber'], 3, 'detail.sequenceNumber: expected string, received number'],
    [['detail', 'currentState'], 'DONE', 'detail.currentState: expected one of'],
    [['detail', 'athenaError', 'retryable'], 'no', 'detail.athenaError.retryable: expected boolean'],
    [['detail', 'athenaError', 'errorType'], '1306', 'detail.athenaError.errorType: expected number'],
    [['detail', 'queryExecutionId'], DELETE, 'detail.queryExecutionId: expected string'],
  ])('rejects %j = %j', (keys, value, message) => {
    expect(errorOf(() => parseContract(AthenaQueryStateChangeEventSchema, withChange(failed, keys, value), 'athena'))).toContain(message);
  });
});

describe('SageMaker Transform Job State Change', () => {
  const completed = loadEvent('sagemaker-transform-job-completed.json');

  it('accepts epoch-millis times and a null FailureReason, and a failure reason when failed', () => {
    const parsed = parseContract(SageMakerTransformJobStateChangeEventSchema, completed, 'sm');
    expect(parsed.detail.CreationTime).toBe(1735729200000);
    expect(parsed.detail.FailureReason).toBeNull();
    const failed = parseContract(SageMakerTransformJobStateChangeEventSchema, loadEvent('sagemaker-transform-job-failed.json'), 'sm');
    expect(failed.detail.FailureReason).toMatch(/ClientError/);
  });

  it.each([
    [['detail', 'TransformJobStatus'], 'COMPLETED', 'detail.TransformJobStatus: expected one of'],
    [['detail', 'TransformJobName'], DELETE, 'detail.TransformJobName: expected string'],
    [['detail', 'TransformResources', 'InstanceCount'], '1', 'detail.TransformResources.InstanceCount: expected number'],
    [['detail', 'TransformOutput', 'S3OutputPath'], DELETE, 'detail.TransformOutput.S3OutputPath: expected string'],
  ])('rejects %j = %j', (keys, value, message) => {
    expect(errorOf(() => parseContract(SageMakerTransformJobStateChangeEventSchema, withChange(completed, keys, value), 'sm'))).toContain(message);
  });
});
