import { CreateModelCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerBatchTransform } from '../../../../infra/aws/adapters/sagemaker-batch-transform';
import type { CreateTransformJobRequest } from '../../../../handlers/ports/batch-transform';
import { InvalidTransformJobError, TransformJobExistsError, TransformJobNotFoundError } from '../../../../handlers/ports/batch-transform-errors';
import { MOTO_ACCOUNT, MOTO_REGION, describeOnMoto } from '../moto/moto-server';

const request = (name: string, model = 'traffic-speed'): CreateTransformJobRequest => ({
  TransformJobName: name,
  ModelName: model,
  TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://tributary-refined/forecast-input/' } }, ContentType: 'application/jsonlines', SplitType: 'Line' },
  TransformOutput: { S3OutputPath: 's3://tributary-forecast/out/', Accept: 'application/jsonlines', AssembleWith: 'Line' },
  BatchStrategy: 'MultiRecord',
  MaxPayloadInMB: 6,
  Environment: { MODEL_VERSION: '3' },
});

/**
 * SageMakerBatchTransform over the wire: CreateTransformJob and DescribeTransformJob on moto's SageMaker
 * with the unmodified SDK client. moto runs no container, so what a job writes is the batch-transform
 * contract's business (run against the local runner); here the request and the description survive
 * the real protocol, and SageMaker's refusals are translated. moto 5.2.1 accepts a duplicate job name
 * and an unknown model, which SageMaker documents as refused; `serve.py` corrects both.
 */
describeOnMoto('SageMakerBatchTransform over the wire (moto server)', (moto) => {
  let client: SageMakerClient;
  beforeEach(async () => {
    await moto().reset();
    client = new SageMakerClient(moto().clientConfig);
    await client.send(new CreateModelCommand({ ModelName: 'traffic-speed', ExecutionRoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/forecast`, PrimaryContainer: { Image: `${MOTO_ACCOUNT}.dkr.ecr.${MOTO_REGION}.amazonaws.com/forecast:1` } }));
  });
  afterEach(() => client.destroy());

  it('creates a job and describes it with the request it was given', async () => {
    const port = new SageMakerBatchTransform(client);
    const { TransformJobArn } = await port.createTransformJob(request('tributary-traffic-1'));
    expect(TransformJobArn).toBe(`arn:aws:sagemaker:${MOTO_REGION}:${MOTO_ACCOUNT}:transform-job/tributary-traffic-1`);
    const described = await port.describeTransformJob('tributary-traffic-1');
    expect(described).toMatchObject({
      TransformJobName: 'tributary-traffic-1',
      TransformJobArn,
      ModelName: 'traffic-speed',
      TransformInput: request('x').TransformInput,
      TransformOutput: request('x').TransformOutput,
      BatchStrategy: 'MultiRecord',
      MaxPayloadInMB: 6,
      TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 1 },
      Environment: { MODEL_VERSION: '3' },
      CreationTime: expect.any(Date),
    });
    expect(['InProgress', 'Completed']).toContain(described.TransformJobStatus);
  });

  it('refuses a job name already used (ResourceInUse, with the job ARN), a missing model, and describes no unknown job', async () => {
    const port = new SageMakerBatchTransform(client);
    const { TransformJobArn } = await port.createTransformJob(request('tributary-traffic-1'));
    const again: unknown = await port.createTransformJob(request('tributary-traffic-1')).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(TransformJobExistsError);
    expect(again).toMatchObject({ message: expect.stringContaining(TransformJobArn) });
    await expect(port.createTransformJob(request('tributary-traffic-2', 'no-such-model'))).rejects.toBeInstanceOf(InvalidTransformJobError);
    await expect(port.describeTransformJob('never-created')).rejects.toBeInstanceOf(TransformJobNotFoundError);
  });
});
