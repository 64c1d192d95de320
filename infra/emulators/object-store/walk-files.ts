import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';

/** A regular file found under a root: its `/`-separated path relative to the root, and its stats. */
export interface WalkedFile {
  readonly key: string;
  readonly filePath: string;
  readonly stats: Stats;
}

/**
 * Walks the regular files under `root` (starting at the relative folder `from`, '' for all), in
 * sorted order. Symbolic links are neither followed nor returned, so nothing outside the root is
 * reached. Folders and files that vanish during the walk are skipped, not errors.
 */
export async function* walkFiles(root: string, from = ''): AsyncGenerator<WalkedFile> {
  const start = from === '' ? root : path.join(root, ...from.split('/'));
  yield* walk(start, from);
}

async function* walk(dir: string, relative: string): AsyncGenerator<WalkedFile> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if (isGone(error)) return;
    throw error;
  }
  names.sort();
  for (const name of names) {
    const filePath = path.join(dir, name);
    const key = relative === '' ? name : `${relative}/${name}`;
    let stats: Stats;
    try {
      stats = await fs.lstat(filePath);
    } catch (error) {
      if (isGone(error)) continue;
      throw error;
    }
    if (stats.isDirectory()) yield* walk(filePath, key);
    else if (stats.isFile()) yield { key, filePath, stats };
  }
}

/** True for the errors that mean "it is not there (any more)". */
export function isGone(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The `code` of a Node system error (`ENOENT` …), or undefined; realm-safe (no `instanceof`). */
export function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
