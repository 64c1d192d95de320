import { S3Client } from '@aws-sdk/client-s3';
import type { StageDeps } from '../../../../handlers/stage-deps';
import { S3ObjectStore } from '../../adapters/s3-object-store';
import { awsTopology } from '../aws-topology';
import type { RuntimeEnv } from '../runtime-env';

/** A new S3 client (region and credentials from the Lambda environment). */
export const client = (): S3Client => new S3Client({});

/** The object store over the lake's zone buckets. */
export function ports(s3: S3Client, env: RuntimeEnv): Pick<StageDeps, 'objects'> {
  const { buckets } = awsTopology(env);
  return { objects: new S3ObjectStore(s3, [buckets.raw, buckets.refined, buckets.forecast, buckets.quarantine]) };
}
