import * as path from 'node:path';

/** The repository's `sql/` folder, where the shipped datasets live. */
export const DEFAULT_SQL_DIR = path.join(__dirname, '..', '..', 'sql');

/** The environment variable naming extra dataset folders, colon-separated (as `PATH`). */
export const DATASETS_ENV = 'TRIBUTARY_DATASETS';

/**
 * A folder holding dataset folders (`<dir>/<name>/manifest.json`) and how its files are named in
 * messages: the built-in one as `sql/…` (repository-relative, the same on AWS), others by their path.
 */
export interface DatasetRoot {
  readonly dir: string;
  readonly label: string;
}

/** The built-in root, `sql/` of the repository (or of the Lambda bundle when `dir` is given). */
export function builtInRoot(dir: string = DEFAULT_SQL_DIR): DatasetRoot {
  return { dir, label: path.basename(dir) };
}

/** A root outside the repository, labelled by its absolute path so a message points at the file to fix. */
export function folderRoot(dir: string): DatasetRoot {
  const resolved = path.resolve(dir);
  return { dir: resolved, label: resolved };
}

/**
 * Where datasets are read from, in order: the built-in `sql/`, `<home>/datasets/` (when a home is
 * given), then each folder of `$TRIBUTARY_DATASETS` (colon-separated; empty entries skipped). A folder
 * named twice is read once. A dataset name found in two of them is an error the store reports.
 */
export function datasetRoots(home: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env): DatasetRoot[] {
  const roots = [builtInRoot()];
  if (home !== undefined) roots.push(folderRoot(path.join(home, 'datasets')));
  for (const dir of (env[DATASETS_ENV] ?? '').split(':')) if (dir.trim() !== '') roots.push(folderRoot(dir.trim()));
  const seen = new Set<string>();
  return roots.filter((r) => {
    const key = path.resolve(r.dir);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
