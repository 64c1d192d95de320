import * as path from 'node:path';
import { Zone } from '../../contracts/domain-events';

export { Zone };

const ZONES: readonly string[] = Object.values(Zone);

/** Thrown for a key or URI that must not reach the file system (`..`, absolute, control characters). */
export class InvalidObjectKeyError extends Error {}

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
 * Validates an object key: relative, `/`-separated, no empty, `.` or `..` segment, no backslash and
 * no control character. Returns the key unchanged; throws InvalidObjectKeyError naming the problem.
 */
export function validateObjectKey(key: string): string {
  if (key.length === 0) throw new InvalidObjectKeyError('object key is empty');
  if (key.length > 1024) throw new InvalidObjectKeyError(`object key is longer than 1024 characters: ${key.slice(0, 40)}…`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) throw new InvalidObjectKeyError(`object key contains a control character: ${JSON.stringify(key)}`);
  if (key.startsWith('/') || /^[A-Za-z]:/.test(key)) throw new InvalidObjectKeyError(`object key must be relative, got ${JSON.stringify(key)}`);
  if (key.includes('\\')) throw new InvalidObjectKeyError(`object key must not contain a backslash: ${JSON.stringify(key)}`);
  const segments = key.replace(/\/$/, '').split('/');
  if (segments.some((s) => s === '..' || s === '.' || s === '')) {
    throw new InvalidObjectKeyError(`object key has an empty, '.' or '..' segment: ${JSON.stringify(key)}`);
  }
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
  return key === '' ? zoneDir(home, zone) : objectPath(home, zone, key);
}
