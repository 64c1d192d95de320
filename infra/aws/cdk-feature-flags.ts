/**
 * CDK feature flags the stack relies on, set on the App (by `app.ts` and by the infra tests alike) so
 * the synthesised template does not depend on what `cdk.json` happens to hold:
 * server access logs are delivered through a bucket policy (ACLs stay disabled on every bucket).
 */
export const cdkFeatureFlags: Readonly<Record<string, boolean>> = {
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};
