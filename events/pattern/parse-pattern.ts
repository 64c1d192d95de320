import { barf, InvalidEventPatternError } from './invalid-event-pattern-error';
import { isJsonObject, type JsonObject } from './json-guards';
import { JsonSyntaxError, jacksonLocation, parseJsonText } from './json-text';
import { UncomparableNumber } from './uncomparable-number';
import type { Matcher } from './matcher';
import { MATCH_TYPES, parseMatcher } from './parse-matcher';

/** Longest pattern text EventBridge accepts (PutRule/TestEventPattern `EventPattern`). */
export const MAX_PATTERN_LENGTH = 4096;

/** Most conjunctions a pattern's `$or`s may expand to. */
export const MAX_OR_COMBINATIONS = 1000;

/**
 * One leaf constraint: the flattened, dot-joined path and its ORed matchers.
 *
 * The same object is shared by every conjunction an `$or` expansion copies it into, so it is
 * compiled, and evaluated per event, once.
 */
export interface FieldRule {
  readonly path: string;
  readonly matchers: readonly Matcher[];
}

/** A pattern after `$or` expansion: it matches when any conjunction has all its fields matching. */
export type ParsedPattern = readonly (readonly FieldRule[])[];

/**
 * Validates a pattern (object or JSON text) and expands it into conjunctions of leaf constraints.
 *
 * Follows event-ruler's compiler: nested and dotted keys both become dot-joined paths, a later
 * definition of the same path replaces an earlier one, and `$or` is read as an OR only when its
 * value is a list of two or more objects none of which is keyed by an operator; otherwise it is
 * an ordinary field named `$or`.
 */
export function parsePattern(input: unknown): ParsedPattern {
  const root = readRoot(input);
  const rules: Map<string, FieldRule>[] = [new Map()];
  parseObject(root, '', rules);
  return rules.map((rule) => [...rule.values()]);
}

function readRoot(input: unknown): JsonObject {
  let value = input;
  if (typeof input === 'string') {
    checkLength(input.length);
    if (input.trim() === '') return barf('Filter is not an object');
    value = parsePatternText(input);
  }
  if (!isJsonObject(value) || value instanceof UncomparableNumber) return barf('Filter is not an object');
  if (typeof input !== 'string') checkLength(serializedLength(value));
  return value;
}

/**
 * Parses a pattern's JSON text as EventBridge does: syntax errors are InvalidEventPatternErrors worded
 * as EventBridge's (Jackson's message and location), a top-level non-object is `Filter is not an
 * object` with its location, and numbers keep their exact value ({@link UncomparableNumber}).
 */
export function parsePatternText(text: string): unknown {
  checkLength(text.length);
  let value: unknown;
  try {
    value = parseJsonText(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new InvalidEventPatternError(error.message, { cause: error });
    throw error;
  }
  if (!isJsonObject(value) || value instanceof UncomparableNumber) {
    const first = text.length - text.trimStart().length;
    barf(`Filter is not an object\n at ${jacksonLocation(text, first + 1)}`);
  }
  return value;
}

function serializedLength(value: JsonObject): number {
  try {
    return JSON.stringify(value).length;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InvalidEventPatternError(`Pattern is not JSON-serialisable: ${detail}`, { cause: error });
  }
}

function checkLength(length: number): void {
  if (length > MAX_PATTERN_LENGTH) {
    barf(`Event pattern must be at most ${MAX_PATTERN_LENGTH} characters, got ${length}`);
  }
}

function parseObject(object: JsonObject, prefix: string, rules: Map<string, FieldRule>[]): void {
  const keys = Object.keys(object);
  if (keys.length === 0) barf('Empty objects are not allowed');
  for (const key of keys) {
    const value = object[key];
    if (key === '$or' && isOrRelationship(value)) {
      parseOr(value, prefix, rules);
      continue;
    }
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (isJsonObject(value) && !(value instanceof UncomparableNumber)) {
      parseObject(value, path, rules);
    } else if (Array.isArray(value)) {
      const list: readonly unknown[] = value;
      const matchers = list.map(parseMatcher);
      if (matchers.length === 0) barf('Empty arrays are not allowed');
      const field: FieldRule = { path, matchers };
      for (const rule of rules) rule.set(path, field);
    } else {
      barf(`"${key}" must be an object or an array`);
    }
  }
}

function isOrRelationship(value: unknown): value is readonly JsonObject[] {
  if (!Array.isArray(value) || value.length < 2) return false;
  const members: readonly unknown[] = value;
  return members.every((m) => isJsonObject(m) && !Object.keys(m).some((k) => MATCH_TYPES.has(k)));
}

function parseOr(members: readonly JsonObject[], prefix: string, rules: Map<string, FieldRule>[]): void {
  const current = rules.splice(0, rules.length);
  for (const member of members) {
    const branch = current.map((rule) => new Map(rule));
    parseObject(member, prefix, branch);
    rules.push(...branch);
    if (rules.length > MAX_OR_COMBINATIONS) {
      barf(`$or expands to more than ${MAX_OR_COMBINATIONS} combinations`);
    }
  }
}
