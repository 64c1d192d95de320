import type { Command } from 'commander';
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { FolderObjectStore } from '../../object-store/folder-object-store';
import { bucketOf } from '../../lake-paths';
import type { CliContext } from '../cli-context';

async function listFiles(root: string): Promise<string[]> {
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new Error(`no such file or folder: ${root}`);
  if (info.isFile()) return [root];
  const out: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && !entry.name.startsWith('.')) out.push(path.join(entry.parentPath, entry.name));
  }
  return out.sort();
}

/**
 * Places files in the raw zone under `<dataset>/…` (a folder keeps its layout), each written
 * atomically so the watcher never sees half a file. Returns the keys written.
 */
export async function dropFiles(home: string, source: string, dataset: string): Promise<string[]> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(dataset)) throw new Error(`--dataset must be a name such as traffic, got ${JSON.stringify(dataset)}`);
  const files = await listFiles(source);
  const store = new FolderObjectStore({ home });
  const base = (await stat(source)).isFile() ? path.dirname(source) : source;
  const keys: string[] = [];
  for (const file of files) {
    const key = `${dataset}/${path.relative(base, file).split(path.sep).join('/')}`;
    await store.putObject(bucketOf('raw'), key, await readFile(file));
    keys.push(key);
  }
  return keys;
}

/** `tributary drop <file|dir> --dataset <name>`. */
export function registerDropCommand(program: Command, ctx: CliContext): void {
  program
    .command('drop <path>')
    .description('Drop a file or a folder of files into the raw zone of a dataset (a running `up` processes them; else run `tributary wait`).')
    .requiredOption('--dataset <name>', 'the dataset the files belong to (sql/<name>/)')
    .action(async (source: string, options: { dataset: string }) => {
      const keys = await dropFiles(ctx.home(), source, options.dataset);
      ctx.out(`dropped ${keys.length} file(s) into s3://${bucketOf('raw')}/${options.dataset}/`);
    });
}
