import { CodedError } from './coded-error';

/**
 * Errors the object store raises, named after S3's error codes so every adapter raises the same
 * `code`. Each says whether retrying can help; stages read `retryable` (and `code`), never an SDK class.
 */
export class ObjectStoreError extends CodedError {}

/** The object does not exist (S3 `NoSuchKey`). Poison: the caller asked for something that is not there. */
export class NoSuchKeyError extends ObjectStoreError {
  constructor(bucket: string, key: string, cause?: unknown) {
    super(`no object s3://${bucket}/${key}`, { code: 'NoSuchKey', retryable: false, cause });
  }
}

/** The bucket is not one of the lake's zone buckets (S3 `NoSuchBucket`). Poison. */
export class NoSuchBucketError extends ObjectStoreError {
  constructor(bucket: string) {
    super(`bucket ${JSON.stringify(bucket)} is not a lake zone (expected tributary-raw|refined|forecast|quarantine)`, {
      code: 'NoSuchBucket',
      retryable: false,
    });
  }
}

/**
 * The key cannot live beside an existing one on a file system: `a` when `a/b` exists, or `a/b` when
 * `a` is an object (S3 allows both; folders cannot). Poison: choose keys that form a tree.
 */
export class KeyConflictError extends ObjectStoreError {
  constructor(bucket: string, key: string, cause?: unknown) {
    super(`key s3://${bucket}/${key} conflicts with an existing object or folder of the same name`, { code: 'KeyConflict', retryable: false, cause });
  }
}

/** A key that must not reach storage (`..`, absolute, control characters …). Poison; the message says what is wrong. */
export class InvalidKeyError extends ObjectStoreError {
  constructor(bucket: string, reason: string, cause?: unknown) {
    super(`invalid key for bucket ${bucket}: ${reason}`, { code: 'InvalidKey', retryable: false, cause });
  }
}
