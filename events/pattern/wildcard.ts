import { barf } from './invalid-event-pattern-error';

/**
 * The highest wildcard complexity a pattern may have (see {@link wildcardComplexity}).
 *
 * AWS rejects `*:*:*:*:*:event-bus/*` (complexity 11 here, as in event-ruler's evaluator) and
 * accepts `arn:aws:events:us-east-1:*:event-bus/*` (4 here, 3 in event-ruler) and
 * `/Users/*\/dir/dir/dir/dir/dir/doc.txt` (8 here, 7 in event-ruler). Any limit from 8 to 10
 * agrees with all three; 10 is the loosest. Whether AWS counts per rule or per bus is unknown:
 * this engine counts per wildcard operand.
 */
export const MAX_WILDCARD_COMPLEXITY = 10;

const TOO_COMPLEX =
  'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';

/** Cap on subsets explored by the complexity check, so a hostile pattern cannot stall compilation. */
const MAX_EXPLORED_STATES = 20_000;

/**
 * Validates a wildcard operand and splits it at its unescaped `*` into literal segments.
 *
 * Only `\*` (literal star) and `\\` (literal backslash) are valid escapes; positions in the
 * messages are 0-based indexes into the operand (AWS reports pos 26 for a second `*` at index 26).
 * A result of one segment means "no wildcard": exact equality with that segment.
 */
export function parseWildcard(text: string): string[] {
  const segments: string[] = [];
  let current = '';
  let previousWasStar = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\') barf(`Invalid escape character at pos ${i}`);
      current += next;
      i++;
      previousWasStar = false;
    } else if (c === '*') {
      if (previousWasStar) barf(`Consecutive wildcard characters at pos ${i}`);
      segments.push(current);
      current = '';
      previousWasStar = true;
    } else {
      current += c;
      previousWasStar = false;
    }
  }
  segments.push(current);
  if (segments.length > 1 && wildcardComplexity(segments) > MAX_WILDCARD_COMPLEXITY) {
    barf(TOO_COMPLEX);
  }
  return segments;
}

/**
 * The largest number of pattern positions an input string can keep alive at once.
 *
 * The pattern is read as an NFA over positions (one per literal character and per `*`, a `*`
 * also enabling the position after it); the accepting end is not counted. This mirrors what
 * event-ruler's MachineComplexityEvaluator measures: how many partial matches a wildcard lets an
 * adversarial input keep in flight. Exploration stops early once the limit is exceeded.
 */
function wildcardComplexity(segments: readonly string[]): number {
  const tokens: (string | null)[] = [];
  segments.forEach((segment, index) => {
    if (index > 0) tokens.push(null);
    for (const ch of segment) tokens.push(ch);
  });
  const end = tokens.length;
  const close = (states: Set<number>): Set<number> => {
    for (const s of [...states]) {
      let p = s;
      while (p < end && tokens[p] === null) states.add(++p);
    }
    states.delete(end);
    return states;
  };
  const alphabet = [...new Set(tokens.filter((t): t is string => t !== null)), '\u0000'];
  const start = close(new Set([0]));
  const seen = new Set<string>([stateKey(start)]);
  const queue = [start];
  let max = start.size;
  while (queue.length > 0 && max <= MAX_WILDCARD_COMPLEXITY) {
    const states = queue.pop() ?? new Set<number>();
    for (const ch of alphabet) {
      const next = new Set<number>();
      for (const s of states) {
        const token = tokens[s];
        if (token === null) next.add(s);
        else if (token === ch) next.add(s + 1);
      }
      close(next);
      const key = stateKey(next);
      if (next.size === 0 || seen.has(key)) continue;
      if (seen.size >= MAX_EXPLORED_STATES) return Number.POSITIVE_INFINITY;
      seen.add(key);
      max = Math.max(max, next.size);
      queue.push(next);
    }
  }
  return max;
}

function stateKey(states: Set<number>): string {
  return [...states].sort((a, b) => a - b).join(',');
}

/** Anchored match of a string against wildcard segments, `*` standing for zero or more characters. */
export function matchWildcard(segments: readonly string[], value: string): boolean {
  const n = segments.length;
  const first = segments[0] ?? '';
  if (n === 1) return value === first;
  const last = segments[n - 1] ?? '';
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  let pos = first.length;
  const limit = value.length - last.length;
  for (let i = 1; i < n - 1; i++) {
    const segment = segments[i] ?? '';
    const found = value.indexOf(segment, pos);
    if (found < 0 || found + segment.length > limit) return false;
    pos = found + segment.length;
  }
  return true;
}
