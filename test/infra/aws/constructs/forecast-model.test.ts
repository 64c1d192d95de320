import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ForecastModel } from '../../../../infra/aws/constructs/forecast-model';
import { readStackConfig } from '../../../../infra/aws/stack-config';
import { repositoryRoot } from '../synth-stack';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/tributary-forecast:3';

function modelStack(imageUri?: string): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, 'Models');
  const bucket = new s3.Bucket(stack, 'Forecast');
  new ForecastModel(stack, 'Model', { modelName: 'traffic-speed', repositoryRoot, inputBucket: bucket, outputBucket: bucket, imageUri });
  return { app, stack };
}

describe('ForecastModel with a given image (context forecastImage)', () => {
  it('serves that image, builds no Docker asset, and lets the model role pull from its repository', () => {
    const { app, stack } = modelStack(IMAGE);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SageMaker::Model', { PrimaryContainer: { Image: IMAGE } });
    expect(app.synth().getStackArtifact(stack.artifactId).assets.filter((a) => a.packaging === 'container-image')).toEqual([]);
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } }).Properties.PolicyDocument.Statement);
    const pull = statements.find((s) => [s.Action].flat().includes('ecr:BatchGetImage'));
    expect(JSON.stringify(pull?.Resource)).toContain(':ecr:us-east-1:123456789012:repository/tributary-forecast');
  });

  it('is read from context and must be an ECR image URI', () => {
    expect(readStackConfig((key) => (key === 'forecastImage' ? IMAGE : undefined)).forecastImage).toBe(IMAGE);
    expect(() => readStackConfig((key) => (key === 'forecastImage' ? 'docker.io/library/forecast:latest' : undefined))).toThrow(/forecastImage/);
    expect(readStackConfig(() => undefined).forecastImage).toBeUndefined();
  });
});
