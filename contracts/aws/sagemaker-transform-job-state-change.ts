import { z } from 'zod';
import { envelopeOf } from '../envelope';
import { AwsDetailType, AwsSource } from './constants';

/** The transform-job statuses (as in DescribeTransformJob) that the state-change event reports. */
export const SageMakerTransformJobStatus = {
  InProgress: 'InProgress',
  Completed: 'Completed',
  Failed: 'Failed',
  Stopping: 'Stopping',
  Stopped: 'Stopped',
} as const;

/** One transform-job status. */
export type SageMakerTransformJobStatus = (typeof SageMakerTransformJobStatus)[keyof typeof SageMakerTransformJobStatus];

/** SageMaker time fields arrive as ISO strings in the docs and as epoch milliseconds in real events. */
const SageMakerTimeSchema = z.union([z.string().min(1), z.number()]);

/**
 * The detail of `SageMaker Transform Job State Change`, mirroring DescribeTransformJob. Only the name,
 * ARN and status are required; the rest is typed when present and loose so new fields survive.
 * `FailureReason` is a string when the status is Failed and absent or null otherwise.
 */
export const SageMakerTransformJobStateChangeDetailSchema = z.looseObject({
  TransformJobName: z.string().min(1),
  TransformJobArn: z.string().min(1),
  TransformJobStatus: z.enum([
    SageMakerTransformJobStatus.InProgress,
    SageMakerTransformJobStatus.Completed,
    SageMakerTransformJobStatus.Failed,
    SageMakerTransformJobStatus.Stopping,
    SageMakerTransformJobStatus.Stopped,
  ]),
  FailureReason: z.string().nullable().optional(),
  ModelName: z.string().optional(),
  MaxConcurrentTransforms: z.number().optional(),
  MaxPayloadInMB: z.number().optional(),
  BatchStrategy: z.string().optional(),
  Environment: z.record(z.string(), z.string()).optional(),
  TransformInput: z
    .looseObject({
      DataSource: z.looseObject({
        S3DataSource: z.looseObject({ S3DataType: z.string(), S3Uri: z.string() }),
      }),
      ContentType: z.string().optional(),
      CompressionType: z.string().optional(),
      SplitType: z.string().optional(),
    })
    .optional(),
  TransformOutput: z
    .looseObject({
      S3OutputPath: z.string(),
      Accept: z.string().optional(),
      AssembleWith: z.string().optional(),
      KmsKeyId: z.string().optional(),
    })
    .optional(),
  TransformResources: z.looseObject({ InstanceType: z.string(), InstanceCount: z.number() }).optional(),
  CreationTime: SageMakerTimeSchema.optional(),
  TransformStartTime: SageMakerTimeSchema.optional(),
  TransformEndTime: SageMakerTimeSchema.optional(),
  Tags: z.record(z.string(), z.string()).optional(),
});

/** The detail of a parsed transform-job state change. */
export type SageMakerTransformJobStateChangeDetail = z.infer<typeof SageMakerTransformJobStateChangeDetailSchema>;

/** A `SageMaker Transform Job State Change` event from `aws.sagemaker` (job ARN in `resources`). */
export const SageMakerTransformJobStateChangeEventSchema = envelopeOf(
  AwsSource.SageMaker,
  AwsDetailType.SageMakerTransformJobStateChange,
  SageMakerTransformJobStateChangeDetailSchema,
);

/** A parsed `SageMaker Transform Job State Change` event. */
export type SageMakerTransformJobStateChangeEvent = z.infer<typeof SageMakerTransformJobStateChangeEventSchema>;
