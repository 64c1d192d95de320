import {
  CreateTransformJobCommand,
  DescribeTransformJobCommand,
  ResourceInUse,
  SageMakerClient,
  SageMakerServiceException,
  type CreateTransformJobCommandInput,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import type { BatchTransformPort, CreateTransformJobRequest } from '../../../../handlers/ports/batch-transform';
import { BatchTransformError, TransformJobExistsError } from '../../../../handlers/ports/batch-transform-errors';

const meta = { $metadata: { httpStatusCode: 400 } };
const validation = (message: string): SageMakerServiceException => new SageMakerServiceException({ name: 'ValidationException', $fault: 'client', message, ...meta });

/** The SDK request as the port's, refusing what SageMaker would (only S3Prefix input is used by Tributary). */
function requestOf(input: CreateTransformJobCommandInput): CreateTransformJobRequest {
  const source = input.TransformInput?.DataSource?.S3DataSource;
  if (source?.S3DataType !== 'S3Prefix') throw validation(`S3DataType ${String(source?.S3DataType)} is not supported here`);
  const split = input.TransformInput?.SplitType;
  const compression = input.TransformInput?.CompressionType;
  const assemble = input.TransformOutput?.AssembleWith;
  const strategy = input.BatchStrategy;
  return {
    TransformJobName: String(input.TransformJobName),
    ModelName: String(input.ModelName),
    TransformInput: {
      DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: String(source.S3Uri) } },
      ContentType: input.TransformInput?.ContentType,
      ...(compression === 'None' || compression === 'Gzip' ? { CompressionType: compression } : {}),
      ...(split === 'None' || split === 'Line' ? { SplitType: split } : {}),
    },
    TransformOutput: { S3OutputPath: String(input.TransformOutput?.S3OutputPath), Accept: input.TransformOutput?.Accept, ...(assemble === 'None' || assemble === 'Line' ? { AssembleWith: assemble } : {}) },
    ...(strategy === 'MultiRecord' || strategy === 'SingleRecord' ? { BatchStrategy: strategy } : {}),
    MaxPayloadInMB: input.MaxPayloadInMB,
    MaxConcurrentTransforms: input.MaxConcurrentTransforms,
    Environment: input.Environment,
    ...(input.TransformResources?.InstanceType === undefined ? {} : { TransformResources: { InstanceType: input.TransformResources.InstanceType, InstanceCount: input.TransformResources.InstanceCount ?? 1 } }),
  };
}

/**
 * Test double of SageMaker batch transform behind `aws-sdk-client-mock`. Jobs really run: the service
 * side is the local batch-transform runner (the project's SageMaker emulator, with its own tests),
 * reading and writing the temp lake and calling the model; this class only speaks SageMaker's wire
 * protocol — `ResourceInUse` for a taken name, `ValidationException` for bad requests and unknown jobs,
 * times as Dates, `FailureReason` only when failed.
 */
export class SageMakerEmulator {
  readonly client = new SageMakerClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  readonly requests: CreateTransformJobCommandInput[] = [];
  private readonly mock = mockClient(this.client);

  constructor(service: BatchTransformPort) {
    this.mock.on(CreateTransformJobCommand).callsFake(async (input: CreateTransformJobCommandInput) => {
      this.requests.push(input);
      try {
        return await service.createTransformJob(requestOf(input));
      } catch (error) {
        if (error instanceof TransformJobExistsError) throw new ResourceInUse({ message: error.message, ...meta });
        if (error instanceof BatchTransformError) throw validation(error.message);
        throw error;
      }
    });
    this.mock.on(DescribeTransformJobCommand).callsFake(async ({ TransformJobName }) => {
      try {
        return await service.describeTransformJob(String(TransformJobName));
      } catch (error) {
        if (error instanceof BatchTransformError) throw validation(error.message);
        throw error;
      }
    });
  }

  restore(): void {
    this.mock.restore();
  }
}
