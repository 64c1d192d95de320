import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { DatasetManifest } from '../../../contracts/dataset-manifest';
import { datasetDeliveryStream } from '../../datasets/dataset-delivery-stream';
import { grantObjects, ObjectAccess } from './grant-objects';

/** Props of {@link DatasetDeliveryStreams}. */
export interface DatasetDeliveryStreamsProps {
  /** Stream names are `<prefix>-<dataset>`, so two stacks can share an account. */
  readonly prefix: string;
  readonly datasets: readonly DatasetManifest[];
  readonly rawBucket: s3.IBucket;
}

/**
 * A Firehose delivery stream per JSON-lines dataset, as `tributary up` creates locally
 * (infra/datasets/dataset-delivery-stream.ts gives both): DirectPut into the raw bucket under
 * `<dataset>/YYYY/MM/DD/HH/`, a newline after every record, `.jsonl` objects, buffered by size and
 * interval; each object's S3 Object Created event starts a run like any dropped file. Encrypted
 * with an AWS-owned key; each stream's role may write only its dataset's prefix.
 */
export class DatasetDeliveryStreams extends Construct {
  /** The streams by dataset name. */
  readonly streams: ReadonlyMap<string, firehose.CfnDeliveryStream>;

  constructor(scope: Construct, id: string, props: DatasetDeliveryStreamsProps) {
    super(scope, id);
    const streams = new Map<string, firehose.CfnDeliveryStream>();
    for (const manifest of props.datasets) {
      const settings = datasetDeliveryStream(manifest);
      if (settings === undefined) continue;
      const role = new iam.Role(this, `Role-${settings.name}`, {
        assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com'),
        description: `Firehose delivery of dataset ${settings.name} into the raw bucket`,
      });
      grantObjects(role, props.rawBucket, [ObjectAccess.Read, ObjectAccess.Write], settings.prefix);
      const stream = new firehose.CfnDeliveryStream(this, `Stream-${settings.name}`, {
        deliveryStreamName: `${props.prefix}-${settings.name}`,
        deliveryStreamType: 'DirectPut',
        deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
        extendedS3DestinationConfiguration: {
          bucketArn: props.rawBucket.bucketArn,
          roleArn: role.roleArn,
          prefix: settings.prefix,
          fileExtension: settings.fileExtension,
          compressionFormat: 'UNCOMPRESSED',
          bufferingHints: { sizeInMBs: settings.sizeInMBs, intervalInSeconds: settings.intervalInSeconds },
          processingConfiguration: {
            enabled: true,
            processors: [{ type: 'AppendDelimiterToRecord', parameters: [{ parameterName: 'Delimiter', parameterValue: JSON.stringify(settings.delimiter).slice(1, -1) }] }],
          },
        },
      });
      // The role's policy must exist before Firehose checks it on creation.
      stream.node.addDependency(role);
      streams.set(settings.name, stream);
    }
    this.streams = streams;
  }
}
