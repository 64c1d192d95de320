import { parsePattern, type ParsedPattern } from './parse-pattern';

/** The exact `source` and `detail-type` strings a pattern requires, for indexing rules. */
export interface PatternIndexKeys {
  readonly sources?: string[];
  readonly detailTypes?: string[];
}

/**
 * Returns the exact top-level `source` and `detail-type` values an event must have to match.
 *
 * A field is reported only when every `$or` branch constrains it with exact string literals
 * alone; the result is the union over branches, so an event whose (string) value is outside it
 * can never match and a dispatcher may skip the rule. Otherwise that field is left undefined.
 * Throws InvalidEventPatternError for an invalid pattern, like compilePattern.
 */
export function patternIndexKeys(pattern: unknown): PatternIndexKeys {
  const parsed = parsePattern(pattern);
  const sources = requiredStrings(parsed, 'source');
  const detailTypes = requiredStrings(parsed, 'detail-type');
  return { ...(sources && { sources }), ...(detailTypes && { detailTypes }) };
}

function requiredStrings(parsed: ParsedPattern, path: string): string[] | undefined {
  const values = new Set<string>();
  for (const conjunction of parsed) {
    const field = conjunction.find((rule) => rule.path === path);
    if (field === undefined) return undefined;
    for (const m of field.matchers) {
      if (m.kind !== 'exact' || typeof m.value !== 'string') return undefined;
      values.add(m.value);
    }
  }
  return values.size > 0 ? [...values] : undefined;
}
