/**
 * The object store port, shaped after S3 (bucket + key): the calls the stages make on the lake zones.
 *
 * Buckets are S3 bucket names (`tributary-raw` … locally; configured per zone on AWS). ETags are S3's,
 * unquoted as in the EventBridge `Object Created` notification: the MD5 hex of the bytes for a
 * single-part upload. Missing objects: `headObject` resolves to `undefined`; `getObject` rejects with
 * NoSuchKeyError (S3's `NoSuchKey`), which is poison. Invalid keys reject with InvalidKeyError before
 * any I/O. Every error is an ObjectStoreError (object-store-errors.ts) with `code` and `retryable`.
 */

/** Metadata of one stored object (S3 `HeadObject`). */
export interface ObjectHead {
  readonly size: number;
  /** MD5 hex of the content for single-part objects, unquoted. */
  readonly etag: string;
  readonly lastModified: Date;
}

/**
 * One entry of a listing (S3 `ListObjectsV2` `Contents[]`). It carries no ETag: the stages list to
 * enumerate keys, and a local listing would have to hash every file to give one (`headObject` has it).
 */
export interface ObjectSummary {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

/** A bucket + key pair, the address of an object. */
export interface ObjectLocation {
  readonly bucket: string;
  readonly key: string;
}

/** Reads and writes objects in the lake. Every write is all-or-nothing: readers never see half an object. */
export interface ObjectStorePort {
  /** Stores the bytes under the key, replacing any previous object; resolves to the new etag. */
  putObject(bucket: string, key: string, body: Buffer | string): Promise<{ etag: string }>;
  /** The object's bytes; rejects with a not-found error when there is no such object. */
  getObject(bucket: string, key: string): Promise<Buffer>;
  /** The object's size, etag and last-modified time, or `undefined` when it does not exist. */
  headObject(bucket: string, key: string): Promise<ObjectHead | undefined>;
  /** Every object whose key starts with `prefix` (a plain string prefix, as S3), sorted by key. */
  listObjects(bucket: string, prefix: string): Promise<ObjectSummary[]>;
  /** Copies an object (S3 `CopyObject`); resolves to the copy's etag. Rejects when the source is missing. */
  copyObject(source: ObjectLocation, destination: ObjectLocation): Promise<{ etag: string }>;
  /** Deletes an object; deleting a missing object succeeds, as in S3. */
  deleteObject(bucket: string, key: string): Promise<void>;
  /** Moves an object (copy, then delete the source; a rename locally). Rejects when the source is missing. */
  moveObject(source: ObjectLocation, destination: ObjectLocation): Promise<void>;
}
