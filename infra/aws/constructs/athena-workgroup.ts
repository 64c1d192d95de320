import * as athena from 'aws-cdk-lib/aws-athena';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Settings of the workgroup: its name, purpose, where results go, and the per-query scan cutoff. */
export interface AthenaWorkgroupProps {
  readonly name: string;
  readonly description: string;
  readonly resultsBucket: s3.IBucket;
  readonly bytesScannedCutoffMb: number;
}

/** Prefix of every workgroup's query results inside the results bucket (`athena/<workgroup>/`). */
export const QUERY_RESULTS_PREFIX = 'athena/';

/**
 * An Athena workgroup our stage queries run in (refine in one, view and forecast-input reads in the
 * other, so only refine queries' state changes are forwarded to the bus). Its configuration is enforced (a client cannot
 * move results elsewhere or turn off encryption), results are SSE-S3 encrypted in the results bucket,
 * CloudWatch metrics are published, and a query that would scan more than the cutoff is cancelled —
 * a runaway query costs at most the cutoff ($5 per TB scanned).
 */
export class AthenaWorkgroup extends Construct {
  readonly workgroup: athena.CfnWorkGroup;
  readonly name: string;

  constructor(scope: Construct, id: string, props: AthenaWorkgroupProps) {
    super(scope, id);
    this.name = props.name;
    this.workgroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: props.name,
      description: props.description,
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffMb * 1024 * 1024,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${props.resultsBucket.bucketName}/${QUERY_RESULTS_PREFIX}${props.name}/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
  }
}
