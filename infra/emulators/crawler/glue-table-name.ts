import { createHash } from 'node:crypto';

const MAX_NAME = 128;

/**
 * The table name Glue derives from a folder (or file) name: lower-cased, every character outside
 * `[a-z0-9_]` replaced by `_` (so `year=2017` gives `year_2017`), `TablePrefix` in front, truncated
 * to 128 characters.
 */
export function glueTableName(segment: string, prefix = ''): string {
  const base = segment.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return `${prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_')}${base}`.slice(0, MAX_NAME);
}

/** Glue's fix for two table roots that would get the same name: a short hash of the root appended. */
export function disambiguatedTableName(name: string, root: string): string {
  const hash = createHash('sha1').update(root).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_NAME - 9)}_${hash}`;
}
