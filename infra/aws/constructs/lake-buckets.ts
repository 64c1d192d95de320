import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Where refine stages partitions before swapping them in (refined bucket); expired if a swap never happened. */
export const STAGING_PREFIX = '_staging/';
/** Where the forecast stage puts transform input and output (forecast bucket); expired after the run. */
export const TRANSFORM_PREFIX = '_transform/';

/** The lake's buckets: one per zone, the Athena query results, and the access-log bucket. */
export interface LakeBucketSet {
  readonly raw: s3.Bucket;
  readonly refined: s3.Bucket;
  readonly forecast: s3.Bucket;
  readonly quarantine: s3.Bucket;
  readonly queryResults: s3.Bucket;
  readonly accessLogs: s3.Bucket;
}

/**
 * The S3 side of the lake. Every bucket is S3-encrypted, blocks public access, refuses plain HTTP and
 * logs access to one log bucket; the raw bucket sends its events to EventBridge (that is how a run
 * starts); staged partitions and query results expire, and unfinished multipart uploads (a transform
 * job that died mid-write) are aborted. Data buckets are retained when the stack is deleted.
 */
export class LakeBuckets extends Construct implements LakeBucketSet {
  readonly raw: s3.Bucket;
  readonly refined: s3.Bucket;
  readonly forecast: s3.Bucket;
  readonly quarantine: s3.Bucket;
  readonly queryResults: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: { readonly queryResultDays: number }) {
    super(scope, id);
    const base: s3.BucketProps = {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    };
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...base,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(90) }],
    });
    const abortUploads: s3.LifecycleRule = { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) };
    const logged = (name: string): s3.BucketProps => ({ ...base, serverAccessLogsBucket: this.accessLogs, serverAccessLogsPrefix: `${name}/` });
    this.raw = new s3.Bucket(this, 'Raw', { ...logged('raw'), eventBridgeEnabled: true, lifecycleRules: [abortUploads] });
    this.refined = new s3.Bucket(this, 'Refined', {
      ...logged('refined'),
      lifecycleRules: [abortUploads, { id: 'expire-staging', prefix: STAGING_PREFIX, expiration: Duration.days(props.queryResultDays) }],
    });
    this.forecast = new s3.Bucket(this, 'Forecast', {
      ...logged('forecast'),
      lifecycleRules: [abortUploads, { id: 'expire-transform-files', prefix: TRANSFORM_PREFIX, expiration: Duration.days(props.queryResultDays) }],
    });
    this.quarantine = new s3.Bucket(this, 'Quarantine', { ...logged('quarantine'), lifecycleRules: [abortUploads] });
    this.queryResults = new s3.Bucket(this, 'QueryResults', {
      ...logged('query-results'),
      lifecycleRules: [abortUploads, { id: 'expire-query-results', expiration: Duration.days(props.queryResultDays) }],
    });
  }
}
