import { randomBytes } from 'node:crypto';
import { AwsDetailType, AwsSource, type S3ObjectCreatedDetail } from '../../../contracts/aws-events';
import type { PutEventsEntry } from '../../../events/put-events';

/** The object the event announces and who "uploaded" it. */
export interface ObjectCreatedFacts {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly sequencer: string;
  /** Account id of the requester; locally the emulator account. */
  readonly requester: string;
}

const REQUEST_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * The PutEvents entry of an S3 `Object Created` notification, shaped exactly as S3 sends it to
 * EventBridge (semantics note §8.1): source `aws.s3`, the bucket ARN in resources, and a detail with
 * version, bucket name, object key/size/etag/sequencer, request-id, requester, source-ip-address and
 * reason `PutObject`. No `version-id` (unversioned bucket). Sent to the `default` bus, where S3 puts
 * its events. The key is not URL-encoded (EventBridge notifications carry it raw).
 */
export function s3ObjectCreatedEntry(facts: ObjectCreatedFacts): PutEventsEntry {
  const detail: S3ObjectCreatedDetail = {
    version: '0',
    bucket: { name: facts.bucket },
    object: { key: facts.key, size: facts.size, etag: facts.etag, sequencer: facts.sequencer },
    'request-id': requestId(),
    requester: facts.requester,
    'source-ip-address': '127.0.0.1',
    reason: 'PutObject',
  };
  return {
    Source: AwsSource.S3,
    DetailType: AwsDetailType.ObjectCreated,
    Detail: JSON.stringify(detail),
    Resources: [`arn:aws:s3:::${facts.bucket}`],
    EventBusName: 'default',
  };
}

/** A 16-character request id in S3's alphabet (`N4N7GDK58NMKJ12R`). */
function requestId(): string {
  return [...randomBytes(16)].map((b) => REQUEST_ID_ALPHABET[b % REQUEST_ID_ALPHABET.length]).join('');
}
