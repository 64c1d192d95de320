import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag's IAM5 finding for `table/<database>/*` on one role, for each of our zone
 * databases: Glue has no finer resource than the table, and the tables are the datasets (added by
 * dropping a folder into `sql/`), so the wildcard is confined to our own databases by construction.
 */
export function acknowledgeTableWildcards(role: IConstruct, databases: readonly string[], why: string): void {
  for (const database of databases) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:table/${database}/*]`,
      reason: `${role.node.path}: ${why}; Glue grants per table, and these tables are confined to database ${database}.`,
    });
  }
}

/**
 * Acknowledges the findings on CDK's own bucket-notification handler (the singleton custom resource
 * that turns on EventBridge notifications for the raw bucket at deploy time): it is AWS-authored code
 * whose role carries only AWSLambdaBasicExecutionRole (writing its own logs) plus notification rights.
 */
export function acknowledgeBucketNotificationsHandler(stack: Stack): void {
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith('BucketNotificationsHandler')) continue;
    Validations.of(child).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: `${child.node.path}: CDK's bucket-notifications custom resource; the AWS managed policy only lets it write its own CloudWatch logs.`,
    });
  }
}
