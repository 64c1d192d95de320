import {
  CreateTransformJobCommand,
  DescribeTransformJobCommand,
  type DescribeTransformJobCommandOutput,
  TransformInstanceType,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { TransformJobStatus, type BatchTransformPort, type CreateTransformJobRequest, type TransformJobDescription } from '../../../handlers/ports/batch-transform';
import {
  BatchTransformError,
  BatchTransformUnavailableError,
  InvalidTransformJobError,
  TransformJobExistsError,
  TransformJobNotFoundError,
} from '../../../handlers/ports/batch-transform-errors';
import { awsErrorCode, awsErrorMessage, isTransientAwsError } from './aws-error-code';

const statuses: ReadonlySet<string> = new Set(Object.values(TransformJobStatus));
const isStatus = (v: string | undefined): v is TransformJobStatus => v !== undefined && statuses.has(v);

/** Default instance of a job that names none: the smallest general-purpose one (research note §4). */
const DEFAULT_RESOURCES = { InstanceType: 'ml.m5.large', InstanceCount: 1 } as const;

const instanceTypes: ReadonlySet<string> = new Set(Object.values(TransformInstanceType));
const isInstanceType = (v: string): v is TransformInstanceType => instanceTypes.has(v);

/** The request's instances, checked against SageMaker's list of transform instance types. */
function resourcesOf(request: CreateTransformJobRequest): { InstanceType: TransformInstanceType; InstanceCount: number } {
  const wanted = request.TransformResources ?? DEFAULT_RESOURCES;
  if (!isInstanceType(wanted.InstanceType)) throw new InvalidTransformJobError(`TransformResources.InstanceType: ${wanted.InstanceType} is not a SageMaker transform instance type`);
  return { InstanceType: wanted.InstanceType, InstanceCount: wanted.InstanceCount };
}

/**
 * The batch-transform port on SageMaker batch transform: CreateTransformJob over our model, and
 * DescribeTransformJob. A job's end arrives as a `SageMaker Transform Job State Change` event.
 * SageMaker's answers are translated at this edge: `ResourceInUse` becomes TransformJobExistsError
 * (the stage treats it as "already started"), "Could not find requested job" TransformJobNotFoundError,
 * other validation failures InvalidTransformJobError, throttling and faults BatchTransformUnavailableError.
 * `deployedModels` maps a dataset's model (as its manifest names it) to the SageMaker model deployed
 * for it, whose name CloudFormation generates so that a new image can replace it; the stages see only
 * the manifest's name, both ways.
 */
export class SageMakerBatchTransform implements BatchTransformPort {
  private readonly manifestModels: ReadonlyMap<string, string>;

  constructor(
    private readonly client: SageMakerClient,
    private readonly deployedModels: Readonly<Record<string, string>> = {},
  ) {
    this.manifestModels = new Map(Object.entries(deployedModels).map(([model, deployed]) => [deployed, model]));
  }

  async createTransformJob(request: CreateTransformJobRequest): Promise<{ TransformJobArn: string }> {
    try {
      const out = await this.client.send(
        new CreateTransformJobCommand({
          TransformJobName: request.TransformJobName,
          ModelName: this.deployedModels[request.ModelName] ?? request.ModelName,
          TransformInput: {
            DataSource: { S3DataSource: { S3DataType: request.TransformInput.DataSource.S3DataSource.S3DataType, S3Uri: request.TransformInput.DataSource.S3DataSource.S3Uri } },
            ContentType: request.TransformInput.ContentType,
            CompressionType: request.TransformInput.CompressionType,
            SplitType: request.TransformInput.SplitType,
          },
          TransformOutput: { S3OutputPath: request.TransformOutput.S3OutputPath, Accept: request.TransformOutput.Accept, AssembleWith: request.TransformOutput.AssembleWith },
          TransformResources: resourcesOf(request),
          BatchStrategy: request.BatchStrategy,
          MaxPayloadInMB: request.MaxPayloadInMB,
          MaxConcurrentTransforms: request.MaxConcurrentTransforms,
          Environment: request.Environment === undefined ? undefined : { ...request.Environment },
        }),
      );
      if (out.TransformJobArn === undefined) throw new BatchTransformUnavailableError('CreateTransformJob returned no TransformJobArn', 'InternalFailure');
      return { TransformJobArn: out.TransformJobArn };
    } catch (error) {
      if (error instanceof BatchTransformError) throw error;
      if (awsErrorCode(error) === 'ResourceInUse') {
        const arn = /\((arn:[^)]+)\)/.exec(awsErrorMessage(error))?.[1] ?? request.TransformJobName;
        throw new TransformJobExistsError(request.TransformJobName, arn);
      }
      throw translate(error, `CreateTransformJob ${request.TransformJobName}`);
    }
  }

  async describeTransformJob(name: string): Promise<TransformJobDescription> {
    let out: DescribeTransformJobCommandOutput;
    try {
      out = await this.client.send(new DescribeTransformJobCommand({ TransformJobName: name }));
    } catch (error) {
      if (awsErrorCode(error) === 'ValidationException' && /could not find/i.test(awsErrorMessage(error))) throw new TransformJobNotFoundError(name);
      if (awsErrorCode(error) === 'ResourceNotFound') throw new TransformJobNotFoundError(name);
      throw translate(error, `DescribeTransformJob ${name}`);
    }
    const description = descriptionOf(out);
    return { ...description, ModelName: this.manifestModels.get(description.ModelName) ?? description.ModelName };
  }
}

function translate(error: unknown, what: string): BatchTransformError {
  const code = awsErrorCode(error);
  if (isTransientAwsError(error)) return new BatchTransformUnavailableError(`${what}: ${awsErrorMessage(error)}`, code, error);
  if (code === 'ValidationException' || code === 'ResourceNotFound') return new InvalidTransformJobError(`${what}: ${awsErrorMessage(error)}`);
  return new BatchTransformError(`${what}: ${code}: ${awsErrorMessage(error)}`, { code, retryable: false, cause: error });
}

function descriptionOf(out: DescribeTransformJobCommandOutput): TransformJobDescription {
  const status = out.TransformJobStatus;
  if (!isStatus(status)) throw new BatchTransformUnavailableError(`job ${out.TransformJobName} reports an unknown status ${String(status)}`, 'InternalFailure');
  const source = out.TransformInput?.DataSource?.S3DataSource;
  const output = out.TransformOutput;
  const split = out.TransformInput?.SplitType;
  const assemble = output?.AssembleWith;
  const compression = out.TransformInput?.CompressionType;
  return {
    TransformJobName: out.TransformJobName ?? '',
    TransformJobArn: out.TransformJobArn ?? '',
    TransformJobStatus: status,
    ModelName: out.ModelName ?? '',
    TransformInput: {
      DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: source?.S3Uri ?? '' } },
      ...(out.TransformInput?.ContentType === undefined ? {} : { ContentType: out.TransformInput.ContentType }),
      ...(compression === 'None' || compression === 'Gzip' ? { CompressionType: compression } : {}),
      ...(split === 'None' || split === 'Line' ? { SplitType: split } : {}),
    },
    TransformOutput: {
      S3OutputPath: output?.S3OutputPath ?? '',
      ...(output?.Accept === undefined ? {} : { Accept: output.Accept }),
      ...(assemble === 'None' || assemble === 'Line' ? { AssembleWith: assemble } : {}),
    },
    BatchStrategy: out.BatchStrategy === 'SingleRecord' ? 'SingleRecord' : 'MultiRecord',
    MaxPayloadInMB: out.MaxPayloadInMB ?? 6,
    MaxConcurrentTransforms: out.MaxConcurrentTransforms ?? 1,
    TransformResources: { InstanceType: out.TransformResources?.InstanceType ?? DEFAULT_RESOURCES.InstanceType, InstanceCount: out.TransformResources?.InstanceCount ?? 1 },
    Environment: out.Environment ?? {},
    CreationTime: out.CreationTime ?? new Date(0),
    ...(out.FailureReason === undefined || out.FailureReason === null ? {} : { FailureReason: out.FailureReason }),
    ...(out.TransformStartTime === undefined ? {} : { TransformStartTime: out.TransformStartTime }),
    ...(out.TransformEndTime === undefined ? {} : { TransformEndTime: out.TransformEndTime }),
  };
}
