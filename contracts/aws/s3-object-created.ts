import { S3EventNotificationEventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/s3';
import { z } from 'zod';
import { envelopeOf } from '../envelope';
import { AwsDetailType, AwsSource } from './constants';

const powertoolsDetail = S3EventNotificationEventBridgeSchema.shape.detail;

/**
 * The detail of an S3 `Object Created` EventBridge notification: Powertools' S3 EventBridge detail,
 * tightened where `Object Created` always carries a value (`size`, `etag`) and loosened so fields
 * AWS adds later survive parsing. `source-ip-address` is any string because Powertools only accepts
 * IPv4 and S3 also reports IPv6 requesters.
 */
export const S3ObjectCreatedDetailSchema = powertoolsDetail
  .extend({
    bucket: powertoolsDetail.shape.bucket.extend({ name: z.string().min(1) }).loose(),
    object: powertoolsDetail.shape.object
      .extend({
        key: z.string().min(1),
        size: z.number().int().nonnegative(),
        etag: z.string().min(1),
      })
      .loose(),
    'source-ip-address': z.string().min(1).optional(),
  })
  .loose();

/** The detail of a parsed S3 `Object Created` event. */
export type S3ObjectCreatedDetail = z.infer<typeof S3ObjectCreatedDetailSchema>;

/**
 * S3 `Object Created` from a bucket with EventBridge notifications on (bucket ARN in `resources`).
 * The local lake watcher emits exactly this shape, so register-landing has one input type.
 */
export const S3ObjectCreatedEventSchema = envelopeOf(AwsSource.S3, AwsDetailType.ObjectCreated, S3ObjectCreatedDetailSchema);

/** A parsed S3 `Object Created` event. */
export type S3ObjectCreatedEvent = z.infer<typeof S3ObjectCreatedEventSchema>;
