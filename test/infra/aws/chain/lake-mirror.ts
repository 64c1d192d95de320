import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Zone, bucketOf, objectPath, zoneDir } from '../../../../infra/local/lake-paths';
import { etagOfFile } from '../../../../infra/emulators/object-store/md5-etag';
import { walkFiles } from '../../../../infra/emulators/object-store/walk-files';

const ZONES: readonly Zone[] = Object.values(Zone);

/**
 * The S3 buckets of moto and the folder lake of a home (`<home>/lake/<zone>`), kept alike for the local
 * services that do what moto cannot (the DuckDB engine behind the Athena endpoint, the crawler, the
 * batch transform): they read and write files, the stages read and write S3. `down` makes the folder
 * show what S3 holds (new or changed objects fetched, objects deleted in S3 removed); `up` puts in S3
 * what the local services wrote. Each file's last synced ETag is remembered, so a file a service is
 * writing is never taken for one S3 deleted, and nothing is sent twice. The buckets are the local
 * engine's (`tributary-<zone>`), the only names its `s3://` URIs resolve.
 */
export class LakeMirror {
  /** `<zone>/<key>` → the ETag both sides had at the last sync. */
  private readonly synced = new Map<string, string>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly s3: S3Client,
    private readonly home: string,
  ) {}

  /** Fetches into the folder what S3 holds that the folder does not; removes what S3 no longer holds. */
  down(): Promise<void> {
    return this.serial(async () => {
      for (const zone of ZONES) {
        const listed = await this.list(bucketOf(zone));
        for (const [key, etag] of listed) {
          if (this.synced.get(`${zone}/${key}`) === etag) continue;
          const out = await this.s3.send(new GetObjectCommand({ Bucket: bucketOf(zone), Key: key }));
          const file = objectPath(this.home, zone, key);
          await fs.mkdir(path.dirname(file), { recursive: true });
          await fs.writeFile(file, await out.Body?.transformToByteArray() ?? new Uint8Array());
          this.synced.set(`${zone}/${key}`, etag);
        }
        for (const id of [...this.synced.keys()].filter((id) => id.startsWith(`${zone}/`))) {
          const key = id.slice(zone.length + 1);
          if (listed.has(key)) continue;
          await fs.rm(objectPath(this.home, zone, key), { force: true });
          this.synced.delete(id);
        }
      }
    });
  }

  /** Puts in S3 every file of the folder (staging aside) that is new or changed since the last sync. */
  up(): Promise<void> {
    return this.serial(async () => {
      for (const zone of ZONES) {
        for await (const file of walkFiles(zoneDir(this.home, zone))) {
          const etag = await etagOfFile(file.filePath);
          if (this.synced.get(`${zone}/${file.key}`) === etag) continue;
          await this.s3.send(new PutObjectCommand({ Bucket: bucketOf(zone), Key: file.key, Body: await fs.readFile(file.filePath) }));
          this.synced.set(`${zone}/${file.key}`, etag);
        }
      }
    });
  }

  private async list(bucket: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key !== undefined) out.set(o.Key, (o.ETag ?? '').replace(/"/g, ''));
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return out;
  }

  /** One sync at a time: a `down` and an `up` interleaved could take each other's files. */
  private serial(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
