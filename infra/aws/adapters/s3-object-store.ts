import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectHead, ObjectLocation, ObjectStorePort, ObjectSummary } from '../../../handlers/ports/object-store';
import { InvalidKeyError, NoSuchBucketError, NoSuchKeyError, ObjectStoreError } from '../../../handlers/ports/object-store-errors';
import { awsErrorCode, awsErrorMessage, isTransientAwsError } from './aws-error-code';
import { objectKeyProblem } from './object-key';

/** S3 returns ETags in quotes; the port (like the `Object Created` event) carries them bare. */
const unquote = (etag: string | undefined): string => (etag ?? '').replace(/^"|"$/g, '');

/**
 * The object-store port on Amazon S3, serving only the lake's buckets (an unknown bucket is refused
 * as poison before any request). Keys are validated as the port demands; S3's own errors are
 * translated at this edge (`NoSuchKey` poison, throttling and 5xx retryable). A move is copy-then-delete,
 * so a crash between the two leaves the object in both places, never in neither.
 */
export class S3ObjectStore implements ObjectStorePort {
  private readonly buckets: ReadonlySet<string>;

  constructor(
    private readonly client: S3Client,
    buckets: readonly string[],
  ) {
    this.buckets = new Set(buckets);
  }

  async putObject(bucket: string, key: string, body: Buffer | string): Promise<{ etag: string }> {
    this.check(bucket, key);
    const out = await this.call(bucket, key, () => this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body })));
    return { etag: unquote(out.ETag) };
  }

  async getObject(bucket: string, key: string): Promise<Buffer> {
    this.check(bucket, key);
    const out = await this.call(bucket, key, () => this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
    if (!out.Body) throw new ObjectStoreError(`s3://${bucket}/${key} came back without a body`, { code: 'InternalError', retryable: true });
    return Buffer.from(await out.Body.transformToByteArray());
  }

  async headObject(bucket: string, key: string): Promise<ObjectHead | undefined> {
    this.check(bucket, key);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { size: out.ContentLength ?? 0, etag: unquote(out.ETag), lastModified: out.LastModified ?? new Date(0) };
    } catch (error) {
      const code = awsErrorCode(error);
      if (code === 'NotFound' || code === 'NoSuchKey') return undefined;
      throw translate(error, bucket, key);
    }
  }

  async listObjects(bucket: string, prefix: string): Promise<ObjectSummary[]> {
    this.check(bucket, prefix, true);
    const out: ObjectSummary[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(bucket, prefix, () => this.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })));
      for (const o of page.Contents ?? []) {
        if (o.Key !== undefined) out.push({ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return out.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
  }

  async copyObject(source: ObjectLocation, destination: ObjectLocation): Promise<{ etag: string }> {
    this.check(source.bucket, source.key);
    this.check(destination.bucket, destination.key);
    const copySource = `${source.bucket}/${source.key.split('/').map(encodeURIComponent).join('/')}`;
    const out = await this.call(source.bucket, source.key, () =>
      this.client.send(new CopyObjectCommand({ Bucket: destination.bucket, Key: destination.key, CopySource: copySource })),
    );
    return { etag: unquote(out.CopyObjectResult?.ETag) };
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    this.check(bucket, key);
    await this.call(bucket, key, () => this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })));
  }

  async moveObject(source: ObjectLocation, destination: ObjectLocation): Promise<void> {
    await this.copyObject(source, destination);
    await this.deleteObject(source.bucket, source.key);
  }

  private check(bucket: string, key: string, isPrefix = false): void {
    const problem = objectKeyProblem(key, isPrefix);
    if (problem !== undefined) throw new InvalidKeyError(bucket, problem);
    if (!this.buckets.has(bucket)) throw new NoSuchBucketError(bucket);
  }

  private async call<T>(bucket: string, key: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw translate(error, bucket, key);
    }
  }
}

function translate(error: unknown, bucket: string, key: string): ObjectStoreError {
  const code = awsErrorCode(error);
  if (code === 'NoSuchKey' || code === 'NotFound') return new NoSuchKeyError(bucket, key, error);
  return new ObjectStoreError(`S3 ${code} on s3://${bucket}/${key}: ${awsErrorMessage(error)}`, { code, retryable: isTransientAwsError(error), cause: error });
}
