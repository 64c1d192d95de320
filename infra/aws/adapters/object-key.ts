/**
 * Why a key (or, with `isPrefix`, a listing prefix) must not be used, or undefined when it is fine:
 * relative, `/`-separated, no empty, `.` or `..` segment, no backslash, no control character.
 *
 * S3 itself would accept most of these, but the object-store port promises the same keys on both
 * realisations (a local folder cannot hold `a//b` or `../x`), so the S3 adapter refuses them too,
 * before any request.
 */
export function objectKeyProblem(key: string, isPrefix = false): string | undefined {
  if (key.length === 0) return isPrefix ? undefined : 'object key is empty';
  if (key.length > 1024) return `object key is longer than 1024 characters: ${key.slice(0, 40)}…`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) return `object key contains a control character: ${JSON.stringify(key)}`;
  if (key.startsWith('/')) return `object key must be relative, got ${JSON.stringify(key)}`;
  if (key.includes('\\')) return `object key must not contain a backslash: ${JSON.stringify(key)}`;
  const segments = key.split('/');
  const last = segments.length - 1;
  const bad = (segment: string, index: number): boolean =>
    segment === '..' || (segment === '.' && !(isPrefix && index === last)) || (segment === '' && !(isPrefix && index === last));
  if (segments.some(bad)) return `object key has an empty, '.' or '..' segment: ${JSON.stringify(key)}`;
  return undefined;
}
