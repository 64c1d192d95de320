import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DatasetDeliveryStreams } from '../../../../infra/aws/constructs/dataset-delivery-streams';
import { readDatasetManifests } from '../../../../infra/aws/dataset-manifests';
import { datasetDeliveryStream } from '../../../../infra/datasets/dataset-delivery-stream';

describe('DatasetDeliveryStreams', () => {
  const datasets = readDatasetManifests(path.join(__dirname, '../../../../sql'));
  const streamed = datasets.flatMap((m) => {
    const settings = datasetDeliveryStream(m);
    return settings === undefined ? [] : [settings];
  });
  const stack = new Stack(new App(), 'Probe');
  const raw = new s3.Bucket(stack, 'Raw');
  const construct = new DatasetDeliveryStreams(stack, 'Ingest', { prefix: 'trib', datasets, rawBucket: raw });
  const template = Template.fromStack(stack);
  const rawArn = { 'Fn::GetAtt': [stack.getLogicalId(raw.node.defaultChild as s3.CfnBucket), 'Arn'] };

  it('creates one DirectPut stream per JSON-lines dataset into the raw bucket, with the local streams\' prefix, extension, delimiter and buffering', () => {
    expect(streamed.map((s) => s.name)).toContain('traffic');
    template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', streamed.length);
    expect([...construct.streams.keys()]).toEqual(streamed.map((s) => s.name));
    for (const settings of streamed) {
      template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
        DeliveryStreamName: `trib-${settings.name}`,
        DeliveryStreamType: 'DirectPut',
        DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
        ExtendedS3DestinationConfiguration: Match.objectLike({
          BucketARN: rawArn,
          Prefix: settings.prefix,
          FileExtension: settings.fileExtension,
          CompressionFormat: 'UNCOMPRESSED',
          BufferingHints: { SizeInMBs: settings.sizeInMBs, IntervalInSeconds: settings.intervalInSeconds },
          ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord', Parameters: [{ ParameterName: 'Delimiter', ParameterValue: '\\n' }] }] },
        }),
      });
    }
  });

  it('lets each stream\'s role, assumed by Firehose, write only its dataset\'s prefix of the raw bucket', () => {
    template.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'firehose.amazonaws.com' } })] }) });
    for (const settings of streamed) {
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: Match.arrayWith(['s3:PutObject']), Resource: { 'Fn::Join': ['', [rawArn, `/${settings.prefix}*`]] } }),
          ]),
        },
      });
    }
  });
});
