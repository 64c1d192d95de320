import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import { ConfigurationError } from '../../contracts/configuration-error';
import { ContractViolationError } from '../../contracts/contract-violation-error';
import { parseDatasetManifest, type DatasetManifest } from '../../contracts/dataset-manifest';
import type { Dataset, DatasetSql, DatasetStore } from '../../handlers/ports/dataset-store';
import { lineOfJsonPath, lineOfJsonSyntaxError } from './json-line';

/** The repository's `sql/` folder, where the shipped datasets live. */
export const DEFAULT_SQL_DIR = path.join(__dirname, '..', '..', 'sql');

/**
 * Datasets as folders: `sql/<name>/manifest.json` (validated by the contract), the refine, rejects
 * and forecast-input SQL it names, and every `*.sql` in its views folder (sorted, so publishing order
 * is stable). Cached per dataset until one of its files changes: both realisations ship the folder with the code.
 * A manifest that is not JSON or that the contract rejects, or a file it names that cannot be read,
 * is a ConfigurationError naming the file and line (files are named `sql/<name>/…`, after the folder).
 */
export class FolderDatasetStore implements DatasetStore {
  private readonly cache = new Map<string, { readonly signature: string; readonly found: Promise<Dataset | undefined> }>();

  constructor(private readonly dir: string = DEFAULT_SQL_DIR) {}

  async listDatasets(): Promise<string[]> {
    const entries = await readdir(this.dir, { withFileTypes: true }).catch(() => []);
    const names: string[] = [];
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const hasManifest = await readFile(path.join(this.dir, e.name, 'manifest.json')).then(() => true, () => false);
      if (hasManifest) names.push(e.name);
    }
    return names.sort();
  }

  async getDataset(name: string): Promise<Dataset | undefined> {
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(name)) return undefined;
    const signature = await this.signatureOf(name);
    const cached = this.cache.get(name);
    if (cached?.signature === signature) return cached.found;
    const entry = { signature, found: this.load(name) };
    this.cache.set(name, entry);
    entry.found.catch(() => {
      if (this.cache.get(name) === entry) this.cache.delete(name);
    });
    return entry.found;
  }

  /**
   * The size and modification time of every file in the dataset's folder: a dataset is read again
   * once a file changes, so a fixed manifest or SQL file takes effect on the next delivery (a replay)
   * without restarting the runtime. A few `stat`s per lookup; the Lambda bundle never changes.
   */
  private async signatureOf(name: string): Promise<string> {
    const files = (await filesUnder(path.join(this.dir, name))).sort();
    const stamps = await Promise.all(files.map(async (f) => stat(f).then((s) => `${f}:${s.size}:${s.mtimeMs}`, () => `${f}:gone`)));
    return stamps.join('|');
  }

  private async load(name: string): Promise<Dataset | undefined> {
    const folder = path.join(this.dir, name);
    const text = await readFile(path.join(folder, 'manifest.json'), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    const label = (rel: string): string => path.posix.join(path.basename(this.dir), name, ...rel.split(path.sep));
    const manifestFile = label('manifest.json');
    const manifest = parseManifest(text, manifestFile);
    /** Reads a file the manifest names at `jsonPath`; an unreadable one is the manifest's mistake. */
    const read = (rel: string, jsonPath: readonly string[]): Promise<string> =>
      readFile(path.join(folder, rel), 'utf8').catch((err: unknown) => {
        throw new ConfigurationError(manifestFile, lineOfJsonPath(text, jsonPath), `${jsonPath.join('.')} names ${label(rel)}, which cannot be read (${err instanceof Error ? err.message : String(err)})`, { cause: err });
      });
    const views: DatasetSql[] = [];
    if (manifest.views) {
      const dir = manifest.views.dir;
      const files = (await readdir(path.join(folder, dir)).catch((err: unknown) => {
        throw new ConfigurationError(manifestFile, lineOfJsonPath(text, ['views', 'dir']), `views.dir names ${label(dir)}, which cannot be listed (${err instanceof Error ? err.message : String(err)})`, { cause: err });
      })).filter((f) => f.endsWith('.sql')).sort();
      for (const f of files) views.push({ name: f.replace(/\.sql$/, ''), sql: await read(path.join(dir, f), ['views', 'dir']), file: label(path.join(dir, f)) });
    }
    const { rejectsSql } = manifest.refine;
    const inputSql = manifest.forecast?.inputSql;
    return {
      manifest,
      refineSql: await read(manifest.refine.sql, ['refine', 'sql']),
      ...(rejectsSql ? { rejectsSql: await read(rejectsSql, ['refine', 'rejectsSql']) } : {}),
      ...(inputSql ? { forecastInputSql: await read(inputSql, ['forecast', 'inputSql']) } : {}),
      views,
      files: {
        manifest: manifestFile,
        refineSql: label(manifest.refine.sql),
        ...(rejectsSql ? { rejectsSql: label(rejectsSql) } : {}),
        ...(inputSql ? { forecastInputSql: label(inputSql) } : {}),
      },
    };
  }
}

/** Every file under a folder, at any depth (none when it cannot be read). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : Promise.resolve(e.isFile() ? [path.join(dir, e.name)] : []))));
  return nested.flat();
}

/** Parses and validates a manifest's text; a ConfigurationError names the file and the line of the first problem. */
function parseManifest(text: string, file: string): DatasetManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigurationError(file, lineOfJsonSyntaxError(text, err), `not valid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  try {
    return parseDatasetManifest(value, file);
  } catch (err) {
    if (!(err instanceof ContractViolationError)) throw err;
    const issue = err.cause instanceof z.ZodError ? err.cause.issues[0] : undefined;
    const where = issue ? [...issue.path, ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])] : [];
    throw new ConfigurationError(file, lineOfJsonPath(text, where), `the dataset manifest contract rejects it: ${err.problems.join('; ')}`, { cause: err });
  }
}
