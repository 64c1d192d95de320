import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isGone } from '../object-store/walk-files';

/** One data file under a crawler target: its key relative to the target and its size. */
export interface ListedObject {
  /** `/`-separated path below the target folder, e.g. `dt=2024-01-01/part-0.json`. */
  readonly rel: string;
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** Which part of a target to list: the folder `below` it (`''` = the target), with or without its subfolders. */
export interface ListScope {
  readonly below?: string;
  readonly recursive?: boolean;
}

/**
 * Lists the data files under a target folder, depth first, sorted by key so crawls are
 * deterministic. Skipped, as Hive/Athena treat them as hidden: names starting with `.` or `_`
 * (temp files of atomic writes, `_SUCCESS` markers) and empty files. Exclusion globs match the key.
 * A missing folder lists as empty (an S3 prefix with no objects). `scope` narrows the listing to one
 * folder below the target (keys stay relative to the target), optionally without its subfolders.
 */
export async function listObjects(dir: string, exclusions: readonly string[] = [], scope: ListScope = {}): Promise<ListedObject[]> {
  const excluded = exclusions.map(globToRegExp);
  const out: ListedObject[] = [];
  const below = scope.below ?? '';
  async function walk(current: string, relDir: string): Promise<void> {
    const entries = await fs.readdir(current, { withFileTypes: true }).catch((err: unknown) => (isGone(err) ? [] : Promise.reject(err)));
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
      const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (scope.recursive !== false) await walk(full, rel);
      } else if (entry.isFile() && !excluded.some((re) => re.test(rel))) {
        // A file deleted since the folder was read is simply not listed (as in an S3 listing).
        const stats = await fs.stat(full).catch((err: unknown) => (isGone(err) ? undefined : Promise.reject(err)));
        if (stats !== undefined && stats.size > 0) out.push({ rel, file: full, size: stats.size, mtimeMs: stats.mtimeMs });
      }
    }
  }
  await walk(below === '' ? dir : path.join(dir, ...below.split('/')), below);
  return out;
}

/** Glue exclusion glob: `*` within a segment, `**` across segments, `?` one character. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '*' && glob.charAt(i + 1) === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
