import { AwsDetailType, AwsSource, type SageMakerTransformJobStateChangeDetail } from '../../../contracts/aws-events';
import type { TransformJobDescription } from '../../../handlers/ports/batch-transform';
import type { PutEventsEntry } from '../../../events/put-events';

/**
 * The `SageMaker Transform Job State Change` event of a job, as a PutEvents entry for the `default`
 * bus: source `aws.sagemaker`, the job ARN in `resources`, and a detail mirroring DescribeTransformJob
 * with times as epoch milliseconds (as real events carry them) and `FailureReason` only when Failed.
 */
export function transformJobStateChangeEntry(job: TransformJobDescription, at: Date): PutEventsEntry {
  const detail: SageMakerTransformJobStateChangeDetail = {
    TransformJobName: job.TransformJobName,
    TransformJobArn: job.TransformJobArn,
    TransformJobStatus: job.TransformJobStatus,
    ...(job.TransformJobStatus === 'Failed' ? { FailureReason: job.FailureReason ?? 'unknown' } : {}),
    ModelName: job.ModelName,
    MaxConcurrentTransforms: job.MaxConcurrentTransforms,
    MaxPayloadInMB: job.MaxPayloadInMB,
    BatchStrategy: job.BatchStrategy,
    Environment: { ...job.Environment },
    TransformInput: { ...job.TransformInput, DataSource: { S3DataSource: { ...job.TransformInput.DataSource.S3DataSource } } },
    TransformOutput: { ...job.TransformOutput },
    TransformResources: { ...job.TransformResources },
    CreationTime: job.CreationTime.getTime(),
    ...(job.TransformStartTime ? { TransformStartTime: job.TransformStartTime.getTime() } : {}),
    ...(job.TransformEndTime ? { TransformEndTime: job.TransformEndTime.getTime() } : {}),
    Tags: {},
  };
  return {
    Source: AwsSource.SageMaker,
    DetailType: AwsDetailType.SageMakerTransformJobStateChange,
    Detail: JSON.stringify(detail),
    Resources: [job.TransformJobArn],
    Time: at,
    EventBusName: 'default',
  };
}
