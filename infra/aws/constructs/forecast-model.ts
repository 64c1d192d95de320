import * as path from 'node:path';
import { Arn, Aws, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Platform, DockerImageAsset } from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { grantObjects, ObjectAccess } from './grant-objects';

/** What the model needs: its name, the repository root (the image's build context) and the buckets it reads and writes. */
export interface ForecastModelProps {
  readonly modelName: string;
  readonly repositoryRoot: string;
  readonly inputBucket: s3.IBucket;
  readonly outputBucket: s3.IBucket;
  /** A published ECR image URI to serve instead of building the container (context `forecastImage`). */
  readonly imageUri?: string;
}

/**
 * Only these paths of the repository reach the image's build context (the Dockerfile copies them);
 * everything else — node_modules, cdk.out, tests, the lake — is excluded, so staging the asset is
 * quick and its hash changes only when the served code does.
 */
const BUILD_CONTEXT = [
  '*',
  '!package.json',
  '!package-lock.json',
  '!tsconfig.json',
  '!handlers',
  'handlers/*',
  '!handlers/forecast-model',
  '!infra',
  'infra/*',
  '!infra/local',
  'infra/local/*',
  '!infra/local/sample',
  'infra/local/sample/*',
  '!infra/local/sample/shipped-model.ts',
  '!infra/sagemaker-container',
  '!sql',
  'sql/*',
  '!sql/traffic',
  'sql/traffic/*',
  '!sql/traffic/model',
];

/**
 * The SageMaker model of the forecast stage: the bring-your-own inference container of
 * `infra/sagemaker-container/` (the same inference code the local batch-transform runner calls), built
 * from a Docker image asset — synth only stages the build context, the image is built at deploy — and
 * an execution role that can pull the image, read transform input and write transform output.
 */
export class ForecastModel extends Construct {
  readonly model: sagemaker.CfnModel;
  readonly modelName: string;
  /** The image asset built at deploy; undefined when the model serves a given `imageUri`. */
  readonly image: DockerImageAsset | undefined;

  constructor(scope: Construct, id: string, props: ForecastModelProps) {
    super(scope, id);
    this.modelName = props.modelName;
    this.image =
      props.imageUri === undefined
        ? new DockerImageAsset(this, 'Image', {
            directory: props.repositoryRoot,
            file: path.join('infra', 'sagemaker-container', 'Dockerfile'),
            platform: Platform.LINUX_AMD64,
            exclude: BUILD_CONTEXT,
          })
        : undefined;
    const role = new iam.Role(this, 'ExecutionRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'), description: 'Tributary forecast model' });
    const repository = this.image?.repository ?? givenRepository(this, props.imageUri ?? '');
    repository.grantPull(role);
    grantObjects(role, props.inputBucket, [ObjectAccess.Read]);
    grantObjects(role, props.outputBucket, [ObjectAccess.Read, ObjectAccess.Write]);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [`arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:/aws/sagemaker/TransformJobs*`],
      }),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/TransformJobs' } } }));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/sagemaker/TransformJobs*]',
      reason: `${role.node.path}: SageMaker writes transform-job logs to /aws/sagemaker/TransformJobs with one stream per job and instance, named by the service.`,
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `${role.node.path}: ecr:GetAuthorizationToken and cloudwatch:PutMetricData have no resource-level permissions; the metric grant is limited to the /aws/sagemaker/TransformJobs namespace by condition.`,
    });
    this.model = new sagemaker.CfnModel(this, 'Model', {
      modelName: props.modelName,
      executionRoleArn: role.roleArn,
      primaryContainer: { image: this.image?.imageUri ?? props.imageUri ?? '', environment: { SAGEMAKER_BIND_TO_PORT: '8080' } },
    });
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (policy) this.model.node.addDependency(policy);
  }
}

/** The repository of a given ECR image URI (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>`), for its pull grant. */
function givenRepository(scope: Construct, imageUri: string): ecr.IRepository {
  const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9._/-]+)(?::|@)/.exec(imageUri);
  if (match === null) throw new Error(`forecastImage ${JSON.stringify(imageUri)} is not an ECR image URI (<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>)`);
  const [, account, region, name] = match;
  const repositoryArn = Arn.format({ partition: Aws.PARTITION, service: 'ecr', account, region, resource: 'repository', resourceName: name });
  return ecr.Repository.fromRepositoryAttributes(scope, 'GivenRepository', { repositoryArn, repositoryName: name ?? '' });
}
