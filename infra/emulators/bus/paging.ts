import { BusValidationError } from './bus-errors';

/** EventBridge's default page size when `Limit` is omitted. */
const DEFAULT_LIMIT = 100;
/** Marks a token as ours, so a forged or foreign token is refused rather than read as a position. */
const TOKEN_PREFIX = 'tributary-page:';

/**
 * One page of a name-sorted listing, as EventBridge pages List* results: at most `limit` items after
 * the position `nextToken` names, and a `NextToken` when more remain. The token is opaque (the last
 * name returned, encoded), so a listing that changes between pages neither repeats nor skips items.
 */
export function page<T>(items: readonly T[], nameOf: (item: T) => string, limit: number | undefined, nextToken: string | undefined): { readonly items: T[]; readonly NextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    const decoded = Buffer.from(nextToken, 'base64url').toString('utf8');
    if (!decoded.startsWith(TOKEN_PREFIX) || Buffer.from(decoded, 'utf8').toString('base64url') !== nextToken) throw new BusValidationError('The NextToken provided is invalid.');
    const after = decoded.slice(TOKEN_PREFIX.length);
    start = items.findIndex((item) => nameOf(item) > after);
    if (start < 0) start = items.length;
  }
  const size = limit ?? DEFAULT_LIMIT;
  const slice = items.slice(start, start + size);
  const last = slice[slice.length - 1];
  const more = start + size < items.length && last !== undefined;
  return more ? { items: slice, NextToken: Buffer.from(`${TOKEN_PREFIX}${nameOf(last)}`, 'utf8').toString('base64url') } : { items: slice };
}
