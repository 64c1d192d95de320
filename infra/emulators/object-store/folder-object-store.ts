import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ObjectHead, ObjectLocation, ObjectStorePort, ObjectSummary } from '../../../handlers/ports/object-store';
import { InvalidObjectKeyError, objectPath, resolveHome, validateObjectKey, zoneDir, zoneOfBucket, type Zone } from '../../local/lake-paths';
import { EtagCache, etagOf } from './md5-etag';
import { InvalidKeyError, KeyConflictError, NoSuchBucketError, NoSuchKeyError } from '../../../handlers/ports/object-store-errors';
import { errnoCode, isGone, walkFiles } from './walk-files';

/** Name of the folder, beside the zone folders in `lake/`, that holds files being written. */
export const LAKE_TMP_DIR = '.tmp';

/**
 * The object store on the local disk: bucket `tributary-<zone>` is the folder
 * `$TRIBUTARY_HOME/lake/<zone>`, a key is a relative path in it.
 *
 * Writes are atomic: bytes go to a temp file in `lake/.tmp` (same file system, outside every zone, so
 * no listing, crawler or watcher ever sees it), are fsynced, then renamed over the target; a reader
 * sees the old object or the new one, never a mix. ETags are the MD5 hex of the content, like S3's
 * single-part ETag, cached per file identity. Symbolic links are ignored, so nothing outside the lake
 * is reachable through a key.
 */
export class FolderObjectStore implements ObjectStorePort {
  private readonly home: string;
  private readonly etags = new EtagCache();

  constructor(options: { home?: string } = {}) {
    this.home = resolveHome(options.home);
  }

  async putObject(bucket: string, key: string, body: Buffer | string): Promise<{ etag: string }> {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const target = this.pathOf(bucket, key);
    const tmpDir = path.join(this.home, 'lake', LAKE_TMP_DIR);
    const tmp = path.join(tmpDir, `${randomBytes(8).toString('hex')}.tmp`);
    const etag = etagOf(bytes);
    try {
      const handle = await fs.open(tmp, 'wx').catch(async (error: unknown) => {
        if (!isGone(error)) throw error;
        await fs.mkdir(tmpDir, { recursive: true });
        return fs.open(tmp, 'wx');
      });
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await renameIntoPlace(tmp, target);
    } catch (error) {
      await fs.rm(tmp, { force: true });
      if (isConflict(error)) throw new KeyConflictError(bucket, key, error);
      throw error;
    }
    const stats = await fs.lstat(target).catch(() => undefined);
    if (stats !== undefined) this.etags.remember(target, EtagCache.signatureOf(stats), etag);
    return { etag };
  }

  async getObject(bucket: string, key: string): Promise<Buffer> {
    const file = this.pathOf(bucket, key);
    const stats = await fs.lstat(file).catch((error: unknown) => (isGone(error) ? undefined : Promise.reject(error)));
    if (stats === undefined || !stats.isFile()) throw new NoSuchKeyError(bucket, key);
    try {
      return await fs.readFile(file);
    } catch (error) {
      if (isGone(error)) throw new NoSuchKeyError(bucket, key, error);
      throw error;
    }
  }

  async headObject(bucket: string, key: string): Promise<ObjectHead | undefined> {
    const file = this.pathOf(bucket, key);
    const stats = await fs.lstat(file).catch((error: unknown) => (isGone(error) ? undefined : Promise.reject(error)));
    if (stats === undefined || !stats.isFile()) return undefined;
    return { size: stats.size, etag: await this.etags.etag(file, stats), lastModified: new Date(stats.mtimeMs) };
  }

  async listObjects(bucket: string, prefix: string): Promise<ObjectSummary[]> {
    const root = zoneDir(this.home, this.zoneOf(bucket));
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    if (folder !== '') this.checked(bucket, () => validateObjectKey(folder));
    const found: ObjectSummary[] = [];
    for await (const file of walkFiles(root, folder)) {
      if (!file.key.startsWith(prefix)) continue;
      try {
        found.push({ key: file.key, size: file.stats.size, lastModified: new Date(file.stats.mtimeMs) });
      } catch (error) {
        if (!isGone(error)) throw error;
      }
    }
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async copyObject(source: ObjectLocation, destination: ObjectLocation): Promise<{ etag: string }> {
    const bytes = await this.getObject(source.bucket, source.key);
    return this.putObject(destination.bucket, destination.key, bytes);
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    const file = this.pathOf(bucket, key);
    try {
      await fs.unlink(file);
    } catch (error) {
      if (isGone(error)) return;
      throw error;
    }
    await pruneEmptyFolders(path.dirname(file), zoneDir(this.home, this.zoneOf(bucket)));
  }

  /**
   * Moves an object by renaming its file: the lake is one file system, so the move is atomic and
   * copies no bytes (S3 has no rename; the S3 adapter copies, then deletes).
   */
  async moveObject(source: ObjectLocation, destination: ObjectLocation): Promise<void> {
    const from = this.pathOf(source.bucket, source.key);
    const to = this.pathOf(destination.bucket, destination.key);
    const stats = await fs.lstat(from).catch((error: unknown) => (isGone(error) ? undefined : Promise.reject(error)));
    if (stats === undefined || !stats.isFile()) throw new NoSuchKeyError(source.bucket, source.key);
    // A rename keeps the bytes: an ETag already known moves with the file; none is computed for it.
    const etag = this.etags.known(from, stats);
    if (from === to) return;
    try {
      await renameIntoPlace(from, to);
    } catch (error) {
      if (isGone(error)) throw new NoSuchKeyError(source.bucket, source.key, error);
      if (isConflict(error)) throw new KeyConflictError(destination.bucket, destination.key, error);
      throw error;
    }
    await pruneEmptyFolders(path.dirname(from), zoneDir(this.home, this.zoneOf(source.bucket)));
    const moved = etag === undefined ? undefined : await fs.lstat(to).catch(() => undefined);
    if (moved !== undefined && etag !== undefined) this.etags.remember(to, EtagCache.signatureOf(moved), etag);
  }

  private zoneOf(bucket: string): Zone {
    const zone = zoneOfBucket(bucket);
    if (zone === undefined) throw new NoSuchBucketError(bucket);
    return zone;
  }

  private pathOf(bucket: string, key: string): string {
    const zone = this.zoneOf(bucket);
    return this.checked(bucket, () => objectPath(this.home, zone, key));
  }

  /** Runs a key validation, turning lake-paths' error into the port's poison InvalidKeyError. */
  private checked<T>(bucket: string, validate: () => T): T {
    try {
      return validate();
    } catch (error) {
      if (error instanceof InvalidObjectKeyError) throw new InvalidKeyError(bucket, error.message, error);
      throw error;
    }
  }
}

/** Renames the temp file onto the target, creating folders; retries when a concurrent delete pruned them. */
async function renameIntoPlace(tmp: string, target: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await fs.rename(tmp, target);
      return;
    } catch (error) {
      // The target's folder is missing (new, or pruned by a concurrent delete): create it and retry.
      if (!isGone(error) || attempt >= 5) throw error;
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
  }
}

/** Removes now-empty folders from `dir` up to (not including) `root`; stops at the first non-empty one. */
async function pruneEmptyFolders(dir: string, root: string): Promise<void> {
  let current = dir;
  while (current.startsWith(root + path.sep)) {
    try {
      await fs.rmdir(current);
    } catch {
      return;
    }
    current = path.dirname(current);
  }
}

function isConflict(error: unknown): boolean {
  return ['EISDIR', 'ENOTEMPTY', 'ENOTDIR', 'EEXIST'].includes(errnoCode(error) ?? '');
}
