import type { CreateTransformJobRequest, TransformJobDescription } from '../../../handlers/ports/batch-transform';
import { InvalidTransformJobError } from '../../../handlers/ports/batch-transform-errors';
import { localPathOfUri, parseS3Uri } from '../../local/lake-paths';

/** A request with SageMaker's defaults filled in: everything of a description but status and times. */
export type TransformJobSpec = Omit<TransformJobDescription, 'TransformJobStatus' | 'FailureReason' | 'CreationTime' | 'TransformStartTime' | 'TransformEndTime'>;

const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

function fail(message: string): never {
  throw new InvalidTransformJobError(message);
}

/** The ARN SageMaker gives a transform job. */
export function transformJobArn(name: string, region: string, account: string): string {
  return `arn:aws:sagemaker:${region}:${account}:transform-job/${name.toLowerCase()}`;
}

/**
 * Checks a CreateTransformJob request as SageMaker would (name pattern, model exists, payload and
 * concurrency limits, S3 URIs) plus what the local runner needs (input and output inside the lake),
 * and fills SageMaker's defaults. Throws InvalidTransformJobError naming the offending field.
 */
export function transformJobSpec(request: CreateTransformJobRequest, options: { home: string; models: ReadonlySet<string>; region: string; account: string }): TransformJobSpec {
  const name = request.TransformJobName;
  if (typeof name !== 'string' || !NAME.test(name)) fail(`TransformJobName must match ${NAME.source} (1-63 characters), got ${JSON.stringify(name)}`);
  if (!options.models.has(request.ModelName)) fail(`Could not find model "${request.ModelName}"`);
  const input = request.TransformInput;
  const source = input?.DataSource?.S3DataSource;
  if (source?.S3DataType !== 'S3Prefix') fail(`TransformInput.DataSource.S3DataSource.S3DataType ${JSON.stringify(source?.S3DataType)} is not supported locally (only S3Prefix)`);
  const split = input.SplitType ?? 'None';
  if (split !== 'None' && split !== 'Line') fail(`TransformInput.SplitType ${JSON.stringify(split)} is not supported locally (None or Line)`);
  const compression = input.CompressionType ?? 'None';
  if (compression !== 'None' && compression !== 'Gzip') fail(`TransformInput.CompressionType must be None or Gzip, got ${JSON.stringify(compression)}`);
  const assemble = request.TransformOutput?.AssembleWith ?? 'None';
  if (assemble !== 'None' && assemble !== 'Line') fail(`TransformOutput.AssembleWith must be None or Line, got ${JSON.stringify(assemble)}`);
  const payload = request.MaxPayloadInMB ?? 6;
  if (!Number.isInteger(payload) || payload < 0 || payload > 100) fail(`MaxPayloadInMB must be an integer from 0 to 100, got ${payload}`);
  const concurrent = request.MaxConcurrentTransforms ?? 1;
  if (!Number.isInteger(concurrent) || concurrent < 1) fail(`MaxConcurrentTransforms must be a positive integer, got ${concurrent}`);
  if (concurrent * payload > 100) fail(`MaxConcurrentTransforms × MaxPayloadInMB must not exceed 100 MB, got ${concurrent} × ${payload}`);
  const strategy = request.BatchStrategy ?? 'MultiRecord';
  if (strategy !== 'MultiRecord' && strategy !== 'SingleRecord') fail(`BatchStrategy must be MultiRecord or SingleRecord, got ${JSON.stringify(strategy)}`);
  for (const [field, uri] of [['TransformInput.DataSource.S3DataSource.S3Uri', source?.S3Uri], ['TransformOutput.S3OutputPath', request.TransformOutput?.S3OutputPath]] as const) {
    try {
      parseS3Uri(uri ?? '');
      localPathOfUri(options.home, uri ?? '');
    } catch (e) {
      fail(`${field}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return {
    TransformJobName: name,
    TransformJobArn: transformJobArn(name, options.region, options.account),
    ModelName: request.ModelName,
    TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: source?.S3Uri ?? '' } }, ...(input.ContentType !== undefined ? { ContentType: input.ContentType } : {}), CompressionType: compression, SplitType: split },
    TransformOutput: { S3OutputPath: request.TransformOutput.S3OutputPath, ...(request.TransformOutput.Accept !== undefined ? { Accept: request.TransformOutput.Accept } : {}), AssembleWith: assemble },
    BatchStrategy: strategy,
    MaxPayloadInMB: payload,
    MaxConcurrentTransforms: concurrent,
    Environment: { ...(request.Environment ?? {}) },
    TransformResources: request.TransformResources ?? { InstanceType: 'ml.m5.large', InstanceCount: 1 },
  };
}
