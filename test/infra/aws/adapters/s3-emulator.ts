import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchBucket,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  type CopyObjectCommandInput,
  type ListObjectsV2CommandInput,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

interface StoredObject {
  readonly body: Buffer;
  readonly etag: string;
  readonly lastModified: Date;
}

/**
 * Test double of Amazon S3 behind `aws-sdk-client-mock`, for the calls the object-store adapter makes.
 * It behaves as S3 does: quoted MD5 ETags, `NoSuchKey` on GET/copy of a missing key, a body-less 404
 * (`NotFound`) on HEAD, `NoSuchBucket`, idempotent DELETE, ListObjectsV2 in UTF-8 binary key order
 * paged by `MaxKeys` with continuation tokens (a small page size here, so paging is exercised), and
 * whole-object replacement (a reader never sees half a PUT).
 */
export class S3Emulator {
  readonly client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  private readonly buckets = new Map<string, Map<string, StoredObject>>();
  private readonly mock = mockClient(this.client);

  constructor(bucketNames: readonly string[], private readonly pageSize = 2) {
    for (const name of bucketNames) this.buckets.set(name, new Map());
    this.mock.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => this.put(input));
    this.mock.on(GetObjectCommand).callsFake(({ Bucket, Key }: { Bucket: string; Key: string }) => {
      const o = this.object(Bucket, Key);
      return { Body: { transformToByteArray: async () => new Uint8Array(o.body) }, ETag: `"${o.etag}"`, ContentLength: o.body.length, LastModified: o.lastModified };
    });
    this.mock.on(HeadObjectCommand).callsFake(({ Bucket, Key }: { Bucket: string; Key: string }) => {
      const o = this.bucket(Bucket).get(Key);
      if (!o) throw new NotFound({ message: 'UnknownError', $metadata: { httpStatusCode: 404 } });
      return { ETag: `"${o.etag}"`, ContentLength: o.body.length, LastModified: o.lastModified };
    });
    this.mock.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => this.list(input));
    this.mock.on(CopyObjectCommand).callsFake((input: CopyObjectCommandInput) => this.copy(input));
    this.mock.on(DeleteObjectCommand).callsFake(({ Bucket, Key }: { Bucket: string; Key: string }) => {
      this.bucket(Bucket).delete(Key);
      return {};
    });
  }

  restore(): void {
    this.mock.restore();
  }

  private bucket(name: string): Map<string, StoredObject> {
    const bucket = this.buckets.get(name);
    if (!bucket) throw new NoSuchBucket({ message: 'The specified bucket does not exist', $metadata: { httpStatusCode: 404 } });
    return bucket;
  }

  private object(bucket: string, key: string): StoredObject {
    const o = this.bucket(bucket).get(key);
    if (!o) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
    return o;
  }

  private put(input: PutObjectCommandInput): { ETag: string } {
    const body = input.Body;
    let bytes: Buffer;
    if (typeof body === 'string') bytes = Buffer.from(body, 'utf8');
    else if (body instanceof Uint8Array) bytes = Buffer.from(body);
    else throw new Error(`emulator: unsupported Body type ${typeof body}`);
    const stored = { body: bytes, etag: createHash('md5').update(bytes).digest('hex'), lastModified: new Date() };
    this.bucket(input.Bucket ?? '').set(input.Key ?? '', stored);
    return { ETag: `"${stored.etag}"` };
  }

  private list(input: ListObjectsV2CommandInput): Record<string, unknown> {
    const prefix = input.Prefix ?? '';
    const keys = [...this.bucket(input.Bucket ?? '').keys()].filter((k) => k.startsWith(prefix)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const start = input.ContinuationToken === undefined ? 0 : Number(Buffer.from(input.ContinuationToken, 'base64').toString());
    const size = Math.min(input.MaxKeys ?? 1000, this.pageSize);
    const page = keys.slice(start, start + size);
    const truncated = start + size < keys.length;
    const bucket = this.bucket(input.Bucket ?? '');
    return {
      KeyCount: page.length,
      IsTruncated: truncated,
      ...(truncated ? { NextContinuationToken: Buffer.from(String(start + size)).toString('base64') } : {}),
      ...(page.length > 0 ? { Contents: page.map((Key) => ({ Key, Size: bucket.get(Key)?.body.length, ETag: `"${bucket.get(Key)?.etag}"`, LastModified: bucket.get(Key)?.lastModified })) } : {}),
    };
  }

  private copy(input: CopyObjectCommandInput): Record<string, unknown> {
    const source = input.CopySource ?? '';
    const slash = source.indexOf('/');
    const sourceBucket = source.slice(0, slash);
    const sourceKey = source.slice(slash + 1).split('/').map(decodeURIComponent).join('/');
    const o = this.object(sourceBucket, sourceKey);
    const copy = { ...o, lastModified: new Date() };
    this.bucket(input.Bucket ?? '').set(input.Key ?? '', copy);
    return { CopyObjectResult: { ETag: `"${copy.etag}"`, LastModified: copy.lastModified } };
  }
}
