/**
 * The batch-transform port, shaped after SageMaker's CreateTransformJob / DescribeTransformJob, and
 * the inference function a model provides.
 *
 * The forecast stage starts a job over a prefix of input files and learns of its end from the
 * `SageMaker Transform Job State Change` event; on AWS a SageMaker job runs the model's container,
 * locally a runner calls the same inference code with exactly the bodies `/invocations` would get.
 */
import { SageMakerTransformJobStatus } from '../../contracts/aws-events';

/** Transform-job statuses, as DescribeTransformJob reports them. */
export const TransformJobStatus = SageMakerTransformJobStatus;
/** One transform-job status. */
export type TransformJobStatus = SageMakerTransformJobStatus;

/** How records are grouped into one `/invocations` request. */
export const BatchStrategy = { MultiRecord: 'MultiRecord', SingleRecord: 'SingleRecord' } as const;
/** One batch strategy. */
export type BatchStrategy = (typeof BatchStrategy)[keyof typeof BatchStrategy];

/** Where a job reads: every object under an S3 prefix, split into records by line (or not at all). */
export interface TransformInput {
  readonly DataSource: { readonly S3DataSource: { readonly S3DataType: 'S3Prefix'; readonly S3Uri: string } };
  readonly ContentType?: string;
  readonly CompressionType?: 'None' | 'Gzip';
  readonly SplitType?: 'None' | 'Line';
}

/** Where a job writes: `<S3OutputPath>/<input key relative to the input prefix>.out`. */
export interface TransformOutput {
  readonly S3OutputPath: string;
  readonly Accept?: string;
  /** `Line` ends each response with a newline; `None` concatenates responses as they are. */
  readonly AssembleWith?: 'None' | 'Line';
}

/** CreateTransformJob's request, the fields Tributary uses. */
export interface CreateTransformJobRequest {
  /** Unique per account and region: 1-63 of `a-z A-Z 0-9 -`, starting with a letter or digit. */
  readonly TransformJobName: string;
  readonly ModelName: string;
  readonly TransformInput: TransformInput;
  readonly TransformOutput: TransformOutput;
  readonly BatchStrategy?: BatchStrategy;
  /** Largest request body in MB (default 6, at most 100; 0 sends each file whole). */
  readonly MaxPayloadInMB?: number;
  readonly MaxConcurrentTransforms?: number;
  readonly Environment?: Readonly<Record<string, string>>;
  /** Instances to run on (default one ml.m5.large); the local runner records it and runs in-process. */
  readonly TransformResources?: { readonly InstanceType: string; readonly InstanceCount: number };
}

/** DescribeTransformJob's answer; times are Dates as the SDK returns them. */
export interface TransformJobDescription extends Required<Omit<CreateTransformJobRequest, 'Environment'>> {
  readonly TransformJobArn: string;
  readonly TransformJobStatus: TransformJobStatus;
  readonly FailureReason?: string;
  readonly Environment: Readonly<Record<string, string>>;
  readonly CreationTime: Date;
  readonly TransformStartTime?: Date;
  readonly TransformEndTime?: Date;
}

/**
 * A model's inference code: what a SageMaker container's `POST /invocations` receives (the body of
 * one mini-batch, its content type) and returns (the predictions, one line per input record for
 * line-split input). Written once, called by the local runner and served by the container on AWS.
 */
export type InferenceFunction = (body: string, contentType: string) => Promise<string>;

/**
 * Start and inspect batch-transform jobs. `createTransformJob` returns once the job is accepted (it
 * runs on); its end is announced by a `SageMaker Transform Job State Change` event on the default bus.
 * A name already used throws TransformJobExistsError; an unknown job, TransformJobNotFoundError.
 */
export interface BatchTransformPort {
  createTransformJob(request: CreateTransformJobRequest): Promise<{ TransformJobArn: string }>;
  describeTransformJob(name: string): Promise<TransformJobDescription>;
}
