/**
 * Folds a string for case-insensitive comparison (equals-ignore-case and its prefix/suffix forms).
 *
 * Decision: full case mapping, upper-casing then lower-casing, so `ß` folds like `ss`
 * (`STRASSE` equals `straße`), `ﬁ` like `fi`, and final sigma `ς` like `σ`, as event-ruler's
 * Unicode-aware comparison does. Pure ASCII strings take the cheap lower-case path. Locale-specific
 * rules (Turkish dotted/dotless i) are not applied: folding is locale independent.
 */
export function caseFold(value: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(value) ? value.toLowerCase() : value.toUpperCase().toLowerCase();
}
