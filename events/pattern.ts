import { compileParsed } from './pattern/compile';
import { parsePattern } from './pattern/parse-pattern';

export { InvalidEventPatternError } from './pattern/invalid-event-pattern-error';
export { parsePatternText } from './pattern/parse-pattern';
export { parseEventText } from './pattern/compile';
export { hasOnlyExactNumbers } from './pattern/json-text';
export { UncomparableNumber } from './pattern/uncomparable-number';
export { patternIndexKeys, type PatternIndexKeys } from './pattern/index-keys';

/**
 * Validates and compiles a pattern given as an object or as JSON text; throws InvalidEventPatternError.
 *
 * The whole EventBridge pattern language is supported, validated once with EventBridge's reasons
 * and compiled into closures, so matching never re-reads the pattern. The returned function takes
 * an event as an object or as JSON text (parsed once per call; text that is not JSON throws a
 * TypeError) and returns false for anything that is not a JSON object.
 */
export function compilePattern(pattern: unknown): (event: unknown) => boolean {
  return compileParsed(parsePattern(pattern));
}
