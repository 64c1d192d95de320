import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { ConfigurationError } from '../../contracts/configuration-error';
import type { DatasetManifest } from '../../contracts/dataset-manifest';
import type { Dataset, DatasetSql, DatasetStore } from '../../handlers/ports/dataset-store';
import { builtInRoot, DEFAULT_SQL_DIR, type DatasetRoot } from './dataset-roots';
import { lineOfJsonPath } from './json-line';
import { readManifest } from './read-manifest';

export { DEFAULT_SQL_DIR } from './dataset-roots';

/** Where a dataset was found: its name, its folder and the root holding it. */
export interface LocatedDataset {
  readonly name: string;
  readonly folder: string;
  readonly root: DatasetRoot;
}

/**
 * Datasets as folders: `<root>/<name>/manifest.json` (validated by the contract), the refine, rejects
 * and forecast-input SQL it names, and every `*.sql` in its views folder (sorted, so publishing order
 * is stable), looked up in each root in turn (the built-in `sql/`, then the user's folders, see
 * {@link datasetRoots}). A name found in two roots is a ConfigurationError naming both folders: which
 * one wins would otherwise depend on the order of folders in a variable. Cached per dataset until one
 * of its files changes. A manifest that is not JSON or that the contract rejects, or a file it names
 * that cannot be read, is a ConfigurationError naming the file and line (files are named after the
 * root's label: `sql/<name>/…` for the built-in one, the absolute path for the others).
 */
export class FolderDatasetStore implements DatasetStore {
  private readonly cache = new Map<string, { readonly signature: string; readonly found: Promise<Dataset | undefined> }>();
  private readonly roots: readonly DatasetRoot[];

  /** `roots`: a folder (labelled by its base name, as the built-in `sql/`), or the roots in lookup order. */
  constructor(roots: string | readonly DatasetRoot[] = DEFAULT_SQL_DIR) {
    this.roots = typeof roots === 'string' ? [builtInRoot(roots)] : roots;
  }

  async listDatasets(): Promise<string[]> {
    return (await this.locateDatasets()).map((d) => d.name);
  }

  /**
   * Every dataset folder (a folder holding `manifest.json`) of every root, sorted by name; rejects
   * with a ConfigurationError when a name is defined in two roots.
   */
  async locateDatasets(): Promise<LocatedDataset[]> {
    const found = new Map<string, LocatedDataset>();
    for (const root of this.roots) {
      const entries = await readdir(root.dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        if (!e.isDirectory()) continue;
        const folder = path.join(root.dir, e.name);
        const hasManifest = await readFile(path.join(folder, 'manifest.json')).then(() => true, () => false);
        if (!hasManifest) continue;
        const earlier = found.get(e.name);
        if (earlier) throw duplicateError(e.name, earlier, { name: e.name, folder, root });
        found.set(e.name, { name: e.name, folder, root });
      }
    }
    return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async getDataset(name: string): Promise<Dataset | undefined> {
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(name)) return undefined;
    const located = await this.locateDataset(name);
    if (located === undefined) return undefined;
    const signature = await signatureOf(located.folder);
    const cached = this.cache.get(name);
    if (cached?.signature === signature) return cached.found;
    const entry = { signature, found: load(located) };
    this.cache.set(name, entry);
    entry.found.catch(() => {
      if (this.cache.get(name) === entry) this.cache.delete(name);
    });
    return entry.found;
  }

  /** The one root holding a folder `name` with a manifest (undefined when none); two are a ConfigurationError naming both. */
  async locateDataset(name: string): Promise<LocatedDataset | undefined> {
    let found: LocatedDataset | undefined;
    for (const root of this.roots) {
      const folder = path.join(root.dir, name);
      const hasManifest = await readFile(path.join(folder, 'manifest.json')).then(() => true, () => false);
      if (!hasManifest) continue;
      if (found) throw duplicateError(name, found, { name, folder, root });
      found = { name, folder, root };
    }
    return found;
  }
}

/** A dataset name defined in two roots: the error names both folders. */
function duplicateError(name: string, first: LocatedDataset, second: LocatedDataset): ConfigurationError {
  return new ConfigurationError(path.posix.join(second.root.label, name, 'manifest.json'), undefined, `dataset ${JSON.stringify(name)} is defined twice, in ${first.folder} and in ${second.folder}: rename or remove one`);
}

/**
 * The size and modification time of every file in the dataset's folder: a dataset is read again
 * once a file changes, so a fixed manifest or SQL file takes effect on the next delivery (a replay)
 * without restarting the runtime. A few `stat`s per lookup; the Lambda bundle never changes.
 */
async function signatureOf(folder: string): Promise<string> {
  const files = (await filesUnder(folder)).sort();
  const stamps = await Promise.all(files.map(async (f) => stat(f).then((s) => `${f}:${s.size}:${s.mtimeMs}`, () => `${f}:gone`)));
  return stamps.join('|');
}

/** Reads a located dataset: its manifest, the SQL files it names and its views. */
async function load({ name, folder, root }: LocatedDataset): Promise<Dataset | undefined> {
  const text = await readFile(path.join(folder, 'manifest.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const label = (rel: string): string => path.posix.join(root.label, name, ...rel.split(path.sep));
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

/** Every file under a folder, at any depth (none when it cannot be read). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : Promise.resolve(e.isFile() ? [path.join(dir, e.name)] : []))));
  return nested.flat();
}

/** Parses and validates a manifest's text; a ConfigurationError names the file and the line of the first problem (and lists them all). */
function parseManifest(text: string, file: string): DatasetManifest {
  const reading = readManifest(text, file);
  if (reading.manifest) return reading.manifest;
  const [first, ...more] = reading.problems;
  if (first === undefined || more.length === 0) throw first ?? new ConfigurationError(file, undefined, 'the dataset manifest contract rejects it');
  const all = reading.problems.map((p) => p.message.slice(`${p.file} line ${p.line ?? ''}: the dataset manifest contract rejects it: `.length));
  throw new ConfigurationError(file, first.line, `the dataset manifest contract rejects it: ${all.join('; ')}`, { cause: first });
}
