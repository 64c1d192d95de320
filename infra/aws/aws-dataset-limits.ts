import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ConfigurationError } from '../../contracts/configuration-error';
import type { FolderDatasetStore } from '../datasets/folder-dataset-store';
import { lineOfJsonPath } from '../datasets/json-line';
import { readManifest } from '../datasets/read-manifest';

/**
 * What a dataset may declare in the embedded pipeline but not on AWS, one ConfigurationError per
 * problem, with the manifest's file and line, as `dataset validate` reports (the CDK app refuses to
 * synthesize with them):
 * - `raw.format: "json"` (each file one JSON array of objects): a Glue crawler can catalogue such a
 *   file with a custom `$[*]` classifier, but Athena's JSON SerDes read one object per line, so every
 *   query of the raw table, the refine's included, fails on it. The dataset's files must be JSON
 *   lines (`raw.format: "jsonl"`) to run on AWS; the embedded pipeline reads both.
 * A manifest that does not parse is left to `validateDatasets`, which reports it.
 */
export async function awsDatasetProblems(store: FolderDatasetStore): Promise<ConfigurationError[]> {
  const problems: ConfigurationError[] = [];
  for (const located of await store.locateDatasets().catch(() => [])) {
    const file = path.posix.join(located.root.label, located.name, 'manifest.json');
    const text = await readFile(path.join(located.folder, 'manifest.json'), 'utf8');
    const { manifest } = readManifest(text, file);
    if (manifest?.raw.format !== 'json') continue;
    problems.push(new ConfigurationError(file, lineOfJsonPath(text, ['raw', 'format']), 'raw.format "json" (one JSON array of objects per file) cannot run on AWS: Athena\'s JSON SerDe reads one object per line, so no query of the raw table could read these files; write them as JSON lines and declare raw.format "jsonl" (the embedded pipeline reads both)'));
  }
  return problems;
}
