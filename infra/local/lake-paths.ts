import * as path from 'node:path';
import { Zone } from '../../contracts/domain-events';
import { PipelineError } from '../../contracts/pipeline-error';
import { objectKeyProblem } from '../../handlers/ports/object-key';

export { Zone };

const ZONES: readonly string[] = Object.values(Zone);

/** Thrown for a key or URI that must not reach the file system (`..`, absolute, control characters). Never retryable. */
export class InvalidObjectKeyError extends PipelineError {
  constructor(message: string) {
    super(message, { retryable: false });
  }
}

/** The Tributary home: `--home`, else `$TRIBUTARY_HOME`, else `./.tributary`, made absolute. */
export function resolveHome(home?: string): string {
  return path.resolve(home ?? process.env.TRIBUTARY_HOME ?? '.tributary');
}

/** The local bucket name of a zone (`tributary-raw` …), the same shape the S3 events carry. */
export function bucketOf(zone: Zone): string {
  return `tributary-${zone}`;
}

/** The zone a local bucket name stands for, or undefined when it is not one of ours. */
export function zoneOfBucket(bucket: string): Zone | undefined {
  const zone = bucket.startsWith('tributary-') ? bucket.slice('tributary-'.length) : '';
  return isZone(zone) ? zone : undefined;
}

function isZone(value: string): value is Zone {
  return ZONES.includes(value);
}

/**
 * Validates an object key by the object-store port's one rule ({@link objectKeyProblem}, the same the
 * S3 adapter applies). Returns the key unchanged; throws InvalidObjectKeyError naming the problem.
 */
export function validateObjectKey(key: string): string {
  const problem = objectKeyProblem(key);
  if (problem !== undefined) throw new InvalidObjectKeyError(problem);
  return key;
}

/** The lake folder of a zone under a home. */
export function zoneDir(home: string, zone: Zone): string {
  return path.join(home, 'lake', zone);
}

/** The file path of an object in a zone; the key is validated first. */
export function objectPath(home: string, zone: Zone, key: string): string {
  return path.join(zoneDir(home, zone), ...validateObjectKey(key).split('/'));
}

/** Parses `s3://bucket/prefix` into bucket and key (key may be '' or end in '/'). */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m || m[1] === undefined) throw new InvalidObjectKeyError(`not an s3:// URI: ${JSON.stringify(uri)}`);
  return { bucket: m[1], key: m[2] ?? '' };
}

/** Resolves an `s3://tributary-<zone>/<key>` URI to its local path under the lake; rejects other buckets. */
export function localPathOfUri(home: string, uri: string): string {
  const { bucket, key } = parseS3Uri(uri);
  const zone = zoneOfBucket(bucket);
  if (zone === undefined) throw new InvalidObjectKeyError(`bucket ${bucket} is not a lake zone (expected tributary-raw|refined|forecast|quarantine)`);
  // A URI may name a folder (`…/staging/`): its key is checked without the trailing `/`.
  const folder = key.endsWith('/') ? key.slice(0, -1) : key;
  return folder === '' ? zoneDir(home, zone) : objectPath(home, zone, folder);
}
