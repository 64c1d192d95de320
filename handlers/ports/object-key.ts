/** S3's limit on an object key: 1024 bytes of UTF-8. */
export const MAX_OBJECT_KEY_BYTES = 1024;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a key (or, with `isPrefix`, a listing prefix) must not be used, or undefined when it is fine.
 * The one rule both realisations of the object-store port apply, before any request or file access:
 * valid UTF-8 (no lone surrogate) of at most 1024 bytes (S3's limit), no control character (C0, DEL
 * or C1), relative (no leading `/`, no drive letter such as `C:`), no backslash, and `/`-separated
 * segments none of which is empty, `.` or `..`. S3 itself accepts most of these, but a folder
 * cannot hold `a//b` or `../x`, and a key must mean the same file on both; a prefix may be empty and
 * its last segment (a name fragment) may be empty or `.`.
 */
export function objectKeyProblem(key: string, isPrefix = false): string | undefined {
  if (key.length === 0) return isPrefix ? undefined : 'object key is empty';
  if (LONE_SURROGATE.test(key)) return `object key is not valid UTF-8 (a lone surrogate): ${JSON.stringify(key.slice(0, 80))}`;
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_OBJECT_KEY_BYTES) return `object key is ${bytes} bytes of UTF-8, more than S3's ${MAX_OBJECT_KEY_BYTES}: ${JSON.stringify(key.slice(0, 40))}…`;
  if (CONTROL.test(key)) return `object key contains a control character: ${JSON.stringify(key)}`;
  if (key.startsWith('/') || /^[A-Za-z]:/.test(key)) return `object key must be relative, got ${JSON.stringify(key)}`;
  if (key.includes('\\')) return `object key must not contain a backslash: ${JSON.stringify(key)}`;
  const segments = key.split('/');
  const last = segments.length - 1;
  const bad = (segment: string, index: number): boolean =>
    segment === '..' || ((segment === '' || segment === '.') && !(isPrefix && index === last));
  if (segments.some(bad)) return `object key has an empty, '.' or '..' segment: ${JSON.stringify(key)}`;
  return undefined;
}
