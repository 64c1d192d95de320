/**
 * The AWS service events the stages consume, as zod envelope schemas with their `source` and
 * `detail-type` constants. One import path for rules, stages and the local emulators that emit them.
 */
export * from './aws/athena-query-state-change';
export * from './aws/constants';
export * from './aws/glue-crawler-state-change';
export * from './aws/glue-job-state-change';
export * from './aws/s3-object-created';
export * from './aws/sagemaker-transform-job-state-change';
export * from './aws/scheduled-event';
