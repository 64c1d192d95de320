import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';

/** The S3 single-part ETag of some bytes: the MD5 hex digest, unquoted. */
export function etagOf(body: Buffer): string {
  return createHash('md5').update(body).digest('hex');
}

/** Streams a file through MD5 and resolves to its S3 single-part ETag. */
export async function etagOfFile(filePath: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(filePath)) hash.update(chunk);
  return hash.digest('hex');
}

interface CachedEtag {
  readonly signature: string;
  readonly etag: string;
}

/**
 * Remembers the ETag of files by path, valid while the file's identity (inode, size, mtime, ctime) is
 * unchanged, so listing a large zone does not re-read every file. A file replaced by rename gets a new
 * inode and is hashed again.
 */
export class EtagCache {
  private readonly entries = new Map<string, CachedEtag>();

  constructor(private readonly maxEntries = 100_000) {}

  /** The file's ETag, from the cache when its stats still match, else hashed now. */
  async etag(filePath: string, stats: Stats): Promise<string> {
    const signature = EtagCache.signatureOf(stats);
    const cached = this.entries.get(filePath);
    if (cached?.signature === signature) return cached.etag;
    const etag = await etagOfFile(filePath);
    this.remember(filePath, signature, etag);
    return etag;
  }

  /** The file's ETag if it is cached for these stats, without reading the file. */
  known(filePath: string, stats: Stats): string | undefined {
    const cached = this.entries.get(filePath);
    return cached?.signature === EtagCache.signatureOf(stats) ? cached.etag : undefined;
  }

  /** Records an ETag computed while writing, so the next stat-matching read is free. */
  remember(filePath: string, signature: string, etag: string): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(filePath, { signature, etag });
  }

  /** The cache signature of a file's stats, for `remember`. */
  static signatureOf(stats: Stats): string {
    return `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
  }
}
