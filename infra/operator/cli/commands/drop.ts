import type { Command } from 'commander';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { FolderObjectStore } from '../../../emulators/object-store/folder-object-store';
import { isIgnoredKey } from '../../../emulators/object-store/ignored-names';
import { bucketOf, validateObjectKey } from '../../../local/lake-paths';
import type { CliContext } from '../cli-context';
import { withProgress } from '../progress';
import type { ProgressSnapshot } from '../progress-format';

/** A file `drop` will not place, and why. */
export interface RefusedFile {
  /** The file, relative to the dropped folder (or as given, for a single file). */
  readonly file: string;
  readonly reason: string;
}

/** What a drop did: the keys written (below the raw bucket), the files refused, the hidden files skipped. */
export interface DropResult {
  readonly keys: readonly string[];
  readonly refused: readonly RefusedFile[];
  readonly hidden: number;
}

/** How far a folder's drop is: files and bytes written of all the valid ones. */
export interface DropProgress {
  readonly files: number;
  readonly totalFiles: number;
  readonly bytes: number;
  readonly totalBytes: number;
}

/** How to drop: the dataset, an explicit key for a single file, the arrival time (default now), and who hears of each file written. */
export interface DropOptions {
  readonly dataset: string;
  readonly key?: string;
  readonly now?: Date;
  readonly onProgress?: (progress: DropProgress) => void;
}

/** What a drop's progress line shows: files dropped of all, bytes, and the bytes as the ETA's work. */
export function dropSnapshot(progress: DropProgress): ProgressSnapshot {
  const bytes = { done: progress.bytes, total: progress.totalBytes };
  return { items: { label: 'files', verb: 'dropped', done: progress.files, total: progress.totalFiles }, bytes, work: bytes };
}

/** `<dataset>/YYYY/MM/DD/HH/<name>` for a file arriving at `at` (UTC): the layout Firehose gives a delivery. */
export function arrivalKey(dataset: string, name: string, at: Date): string {
  const iso = at.toISOString();
  return `${dataset}/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}/${name}`;
}

/** Why a key may not be dropped, or undefined when it may: the lake's key rules, plus names the watcher ignores. */
function refusal(key: string): string | undefined {
  try {
    validateObjectKey(key);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (isIgnoredKey(key)) return `${JSON.stringify(key)} looks like a file still being written (a '.' segment, .tmp, .part, .partial, .crdownload, ~ or _COPYING_), which the raw-zone watcher never announces`;
  return undefined;
}

/** The regular files under a folder, as sorted `/`-separated relative paths; symbolic links are refused, not followed. */
async function folderFiles(root: string): Promise<{ files: string[]; links: string[] }> {
  const files: string[] = [];
  const links: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    const relative = path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    if (entry.isFile()) files.push(relative);
    else if (entry.isSymbolicLink()) links.push(relative);
  }
  return { files: files.sort(), links: links.sort() };
}

function assertDataset(dataset: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(dataset)) throw new Error(`--dataset must be a name such as traffic, got ${JSON.stringify(dataset)}`);
}

/**
 * Places files in the raw zone, each written atomically so the watcher never sees half a file.
 * A single file lands at `<dataset>/YYYY/MM/DD/HH/<name>` by arrival time (UTC), as Firehose lays
 * out its deliveries, or at `<dataset>/<key>` when a key is given. A folder keeps its layout under
 * `<dataset>/`: every name is checked first, the valid files are dropped and each refused file is
 * returned with its reason, so one bad name neither stops the drop part-way nor hides the others.
 * Hidden files (a segment starting with `.`) of a folder are skipped and counted.
 */
export async function dropFiles(home: string, source: string, options: DropOptions): Promise<DropResult> {
  assertDataset(options.dataset);
  const info = await lstat(source).catch(() => undefined);
  if (!info) throw new Error(`no such file or folder: ${source}`);
  const store = new FolderObjectStore({ home });
  if (!info.isDirectory()) {
    if (!info.isFile()) throw new Error(`not a regular file or folder: ${source}`);
    const key = options.key === undefined ? arrivalKey(options.dataset, path.basename(source), options.now ?? new Date()) : `${options.dataset}/${options.key}`;
    const reason = refusal(key);
    if (reason !== undefined) throw new Error(`cannot drop ${source}${options.key === undefined ? '' : ' at --key'}: ${reason}`);
    await store.putObject(bucketOf('raw'), key, await readFile(source));
    return { keys: [key], refused: [], hidden: 0 };
  }
  if (options.key !== undefined) throw new Error('--key names the key of a single file; a folder keeps its own layout under the dataset');
  const { files, links } = await folderFiles(source);
  const refused: RefusedFile[] = links.map((file) => ({ file, reason: 'a symbolic link (not followed)' }));
  const valid: { file: string; key: string }[] = [];
  let hidden = 0;
  for (const file of files) {
    if (file.split('/').some((segment) => segment.startsWith('.'))) {
      hidden += 1;
      continue;
    }
    const key = `${options.dataset}/${file}`;
    const reason = refusal(key);
    if (reason === undefined) valid.push({ file, key });
    else refused.push({ file, reason });
  }
  const keys: string[] = [];
  const sized = await Promise.all(
    valid.map(async ({ file, key }) => {
      const full = path.join(source, ...file.split('/'));
      return { full, key, size: options.onProgress ? (await stat(full)).size : 0 };
    }),
  );
  const totalBytes = sized.reduce((n, v) => n + v.size, 0);
  let bytes = 0;
  options.onProgress?.({ files: 0, totalFiles: sized.length, bytes, totalBytes });
  for (const { full, key, size } of sized) {
    await store.putObject(bucketOf('raw'), key, await readFile(full));
    keys.push(key);
    bytes += size;
    options.onProgress?.({ files: keys.length, totalFiles: sized.length, bytes, totalBytes });
  }
  return { keys, refused: refused.sort((a, b) => a.file.localeCompare(b.file)), hidden };
}

/** `tributary drop <file|dir> --dataset <name> [--key <key>]`. */
export function registerDropCommand(program: Command, ctx: CliContext): void {
  program
    .command('drop <path>')
    .description('Drop a file (at <dataset>/YYYY/MM/DD/HH/<name> by arrival time, UTC, or at --key) or a folder (its layout kept) into the raw zone of a dataset; a running `up` processes them, else run `tributary wait`.')
    .requiredOption('--dataset <name>', 'the dataset the files belong to (one of `tributary datasets`)')
    .option('--key <key>', 'for a single file: its key below the dataset (e.g. 2026/01/05/07/a.jsonl), instead of the arrival-hour layout')
    .action(async (source: string, options: { dataset: string; key?: string }) => {
      let progress: DropProgress = { files: 0, totalFiles: 0, bytes: 0, totalBytes: 0 };
      const dropping = dropFiles(ctx.home(), source, { dataset: options.dataset, ...(options.key === undefined ? {} : { key: options.key }), onProgress: (p) => (progress = p) });
      const result = await withProgress(ctx, async () => dropSnapshot(progress), dropping);
      for (const r of result.refused) ctx.err(`tributary: refused ${JSON.stringify(r.file)}: ${r.reason}`);
      const where = result.keys.length === 1 && result.refused.length === 0 ? `s3://${bucketOf('raw')}/${result.keys[0] ?? ''}` : `s3://${bucketOf('raw')}/${options.dataset}/`;
      const skipped = result.hidden > 0 ? `; skipped ${result.hidden} hidden file(s)` : '';
      ctx.out(`dropped ${result.keys.length} file(s) into ${where}${skipped}`);
      if (result.refused.length > 0) {
        ctx.err(`tributary: refused ${result.refused.length} file(s); rename them and drop them again`);
        process.exitCode = 1;
      }
    });
}
