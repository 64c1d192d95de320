import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { parseS3Uri, zoneDir, zoneOfBucket } from '../../local/lake-paths';

/** One input object of a job: its S3 key and local file. */
export interface InputObject {
  readonly key: string;
  readonly file: string;
}

/**
 * Every object under an `s3://tributary-<zone>/<prefix>` URI, as S3 lists a prefix (a string prefix
 * of the key, not a folder), sorted by key. Dot-files are skipped: they are the lake's in-flight
 * temporaries, never published objects.
 */
export async function listInputObjects(home: string, uri: string): Promise<InputObject[]> {
  const { bucket, key: prefix } = parseS3Uri(uri);
  const zone = zoneOfBucket(bucket);
  if (zone === undefined) return [];
  const root = zoneDir(home, zone);
  const start = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
  const found: InputObject[] = [];
  const walk = async (dir: string, keyPrefix: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch((e: unknown) => {
      if (typeof e === 'object' && e !== null && Reflect.get(e, 'code') === 'ENOENT') return [];
      throw e;
    });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const key = `${keyPrefix}${entry.name}`;
      if (entry.isDirectory()) {
        if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) await walk(path.join(dir, entry.name), `${key}/`);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        found.push({ key, file: path.join(dir, entry.name) });
      }
    }
  };
  await walk(start === '' ? root : path.join(root, ...start.split('/')), start === '' ? '' : `${start}/`);
  return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * The `.out` URI of an input key, as SageMaker names it: the output path, then the key relative to
 * the input prefix's folder, then `.out` (`s3://b/in/` + `in/x/a.csv` → `s3://o/out/x/a.csv.out`).
 */
export function outputUriOf(inputKey: string, inputUri: string, outputUri: string): string {
  const prefix = parseS3Uri(inputUri).key;
  const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/') + 1) : '';
  const out = parseS3Uri(outputUri);
  const base = out.key === '' || out.key.endsWith('/') ? out.key : `${out.key}/`;
  return `s3://${out.bucket}/${base}${inputKey.slice(folder.length)}.out`;
}
