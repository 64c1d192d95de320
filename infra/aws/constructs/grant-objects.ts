import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { nagArnToken } from '../nag-arn-token';

/** What a role may do with a bucket's objects. */
export const ObjectAccess = { Read: 'read', Write: 'write', Delete: 'delete' } as const;
/** One kind of object access. */
export type ObjectAccess = (typeof ObjectAccess)[keyof typeof ObjectAccess];

const ACTIONS: Readonly<Record<ObjectAccess, readonly string[]>> = {
  read: ['s3:GetObject'],
  write: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
  delete: ['s3:DeleteObject'],
};

/**
 * Grants exactly the S3 actions the object-store port and the services acting for us use — named
 * actions, no `Get*`/`List*` wildcards — on one bucket's objects (optionally under a key prefix), plus
 * listing and locating the bucket.
 */
export function grantObjects(role: iam.IRole, bucket: s3.IBucket, access: readonly ObjectAccess[], keyPrefix = ''): void {
  const actions = [...new Set(access.flatMap((a) => ACTIONS[a]))];
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [bucket.arnForObjects(`${keyPrefix}*`)] }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads'], resources: [bucket.bucketArn] }));
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagArnToken(bucket)}/${keyPrefix}*]`,
    reason: `${role.node.path}: object keys under ${keyPrefix || 'the bucket root'} of ${bucket.node.path} are minted at run time (dataset, partition, run); S3 has no finer grant than a key prefix.`,
  });
}
