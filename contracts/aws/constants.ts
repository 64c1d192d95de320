/** The `source` of each AWS service whose events the stages consume (EventBridge reserves `aws.`). */
export const AwsSource = {
  S3: 'aws.s3',
  Glue: 'aws.glue',
  Athena: 'aws.athena',
  SageMaker: 'aws.sagemaker',
} as const;

/** One AWS service source. */
export type AwsSource = (typeof AwsSource)[keyof typeof AwsSource];

/** The `detail-type` of each AWS service event the stages consume, exactly as the services send it. */
export const AwsDetailType = {
  ObjectCreated: 'Object Created',
  GlueCrawlerStateChange: 'Glue Crawler State Change',
  GlueJobStateChange: 'Glue Job State Change',
  AthenaQueryStateChange: 'Athena Query State Change',
  SageMakerTransformJobStateChange: 'SageMaker Transform Job State Change',
} as const;

/** One AWS service detail-type. */
export type AwsDetailType = (typeof AwsDetailType)[keyof typeof AwsDetailType];
