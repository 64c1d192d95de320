import { consistentChoice } from './array-consistency';
import type { FieldOutcome, FieldProbe, Membership } from './field-probe';
import { isJsonObject } from './json-guards';
import { hasOnlyExactNumbers, parseJsonText } from './json-text';
import type { ParsedPattern } from './parse-pattern';
import { sharedProbe } from './probe-cache';

/** A compiled pattern: true when the event (an object, or JSON text) matches. */
export type EventMatcher = (event: unknown) => boolean;

/**
 * Compiles a parsed pattern into one closure; all validation has already happened.
 *
 * Each distinct field is compiled once (and shared with other patterns that have it) even when
 * `$or` copies it into several conjunctions, and evaluated at most once per event. A conjunction
 * fails at its first unmatched field; array consistency is only checked when some matching
 * leaves sit inside arrays. Event text is parsed once per call.
 */
export function compileParsed(parsed: ParsedPattern): EventMatcher {
  const conjunctions = parsed.map((rules) => rules.map(sharedProbe));
  const [single] = conjunctions;
  if (conjunctions.length === 1 && single !== undefined) {
    return (event) => {
      const e = typeof event === 'string' ? parseEventText(event) : event;
      return isJsonObject(e) && matchConjunction(single, e, undefined);
    };
  }
  return (event) => {
    const e = typeof event === 'string' ? parseEventText(event) : event;
    if (!isJsonObject(e)) return false;
    const memo = new Map<FieldProbe, FieldOutcome>();
    return conjunctions.some((probes) => matchConjunction(probes, e, memo));
  };
}

/**
 * Parses an event's JSON text for matching, keeping every number exact: plain `JSON.parse` when no
 * number could be rounded (the common case), otherwise the exact parser, which keeps numbers no
 * double holds as {@link UncomparableNumber}s. Text that is not JSON is a TypeError.
 */
export function parseEventText(text: string): unknown {
  try {
    return hasOnlyExactNumbers(text) ? JSON.parse(text) : parseJsonText(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new TypeError(`Event is not valid JSON: ${detail}`, { cause: error });
  }
}

function matchConjunction(
  probes: readonly FieldProbe[],
  event: unknown,
  memo: Map<FieldProbe, FieldOutcome> | undefined,
): boolean {
  let bound: (readonly Membership[])[] | undefined;
  for (let i = 0; i < probes.length; i++) {
    const probe = probes[i];
    if (probe === undefined) continue;
    let outcome = memo?.get(probe);
    if (outcome === undefined) {
      outcome = probe.evaluate(event);
      memo?.set(probe, outcome);
    }
    if (outcome === false) return false;
    if (outcome !== true) (bound ??= []).push(outcome);
  }
  return bound === undefined || consistentChoice(bound);
}
