import type { CrawlerInput } from '../../../handlers/ports/crawler';
import { parseS3Uri } from '../../local/lake-paths';
import type { ObjectEvent } from './crawler-event-queue';
import type { ObjectInference } from './infer-object-schema';

/** One file a crawl listed under its target, with the classifier's verdict on it. */
export interface ManifestEntry {
  /** Key below the target, `/`-separated. */
  readonly rel: string;
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly verdict: ObjectInference;
}

/**
 * What an event-mode crawler knows of its target after a successful run: every file it listed, by
 * key, under the crawler definition it ran with (`fingerprint`). The next run starts from it and
 * re-lists only the folders events name, so its plan is the one a full listing would give.
 */
export interface CrawlManifest {
  readonly fingerprint: string;
  /** The run that made it: valid only while that run is the crawler's last finished one. */
  readonly runId: string;
  readonly root: string;
  readonly entries: readonly ManifestEntry[];
}

/** The crawler properties a crawl's outcome depends on: a change makes the next run a full listing, as on Glue. */
export function crawlFingerprint(crawler: CrawlerInput): string {
  return JSON.stringify([crawler.DatabaseName, crawler.Targets, crawler.TablePrefix ?? null, crawler.SchemaChangePolicy ?? null, crawler.RecrawlPolicy ?? null, crawler.Configuration ?? null]);
}

/**
 * The folders below `root` (`s3://bucket/prefix/`) that events name: each event's parent folder,
 * relative to the root (`''` = the root itself). Events outside the root, and keys in folders a
 * listing skips (a segment starting with `.` or `_`), name none.
 */
export function changedFolders(events: readonly ObjectEvent[], root: string): Set<string> {
  const { bucket, key: prefix } = parseS3Uri(root);
  const folders = new Set<string>();
  for (const e of events) {
    if (e.bucket !== bucket || !e.key.startsWith(prefix)) continue;
    const segments = e.key.slice(prefix.length).split('/');
    if (segments.some((s) => s === '' || s.startsWith('.') || s.startsWith('_'))) continue;
    folders.add(segments.slice(0, -1).join('/'));
  }
  return folders;
}

/** The folder of a key below the target (`''` for a file at the target's root). */
export function folderOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

/** Orders keys as a depth-first listing sorted by name does (segment by segment), so plans match a full crawl's. */
export function compareKeys(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i] ?? '';
    const q = y[i] ?? '';
    if (p !== q) return p < q ? -1 : 1;
  }
  return x.length - y.length;
}
