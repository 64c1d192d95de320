import { barf } from './invalid-event-pattern-error';
import { isJsonNumber, isJsonObject } from './json-guards';
import type { AnythingBut } from './matcher';
import { UncomparableNumber } from './uncomparable-number';
import { parseWildcard } from './wildcard';

const BAD_OPERAND = 'Value of anything-but must be an array or single string/number value.';
const BAD_LIST_MEMBER = 'Inside anything but list, start|null|boolean is not supported.';
const MIXED_LIST = 'Inside anything but list, either all values are number or string, mixed type is not supported';
const BAD_IGNORE_CASE = 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.';
const BAD_PREFIX_SUFFIX = 'prefix/suffix match pattern must be a string';
const BAD_WILDCARD = 'wildcard match pattern must be a string';

/**
 * Validates an `anything-but` operand into what it excludes, with EventBridge's reasons.
 *
 * Accepted: one string or number; a non-empty list of all strings or all numbers; or an object
 * with exactly one of prefix, suffix, equals-ignore-case, wildcard whose value is a string or a
 * list of strings. Prefix/suffix operands must be non-empty; an empty wildcard is allowed.
 */
export function parseAnythingBut(operand: unknown): AnythingBut {
  if (operand instanceof UncomparableNumber) return barf(`Cannot compare number : ${operand.digits()}`);
  if (typeof operand === 'string') return { kind: 'strings', values: [operand] };
  if (isJsonNumber(operand)) return { kind: 'numbers', values: [operand] };
  if (Array.isArray(operand)) return parseList(operand);
  if (!isJsonObject(operand)) return barf(BAD_OPERAND);
  const keys = Object.keys(operand);
  const [op] = keys;
  if (op === undefined) return barf('Empty objects are not allowed');
  const value = operand[op];
  let result: AnythingBut;
  if (op === 'equals-ignore-case') {
    result = { kind: op, values: stringList(value, BAD_IGNORE_CASE, BAD_IGNORE_CASE) };
  } else if (op === 'wildcard') {
    const texts = stringList(value, BAD_WILDCARD, BAD_WILDCARD);
    result = { kind: op, patterns: texts.map((text) => parseWildcard(text)) };
  } else if (op === 'prefix' || op === 'suffix') {
    if (isJsonObject(value)) barf(BAD_OPERAND);
    const values = stringList(value, BAD_PREFIX_SUFFIX, BAD_PREFIX_SUFFIX);
    if (values.includes('')) barf('Null prefix/suffix not allowed');
    result = { kind: op, values };
  } else {
    return barf(`Unsupported anything-but pattern: ${op}`);
  }
  if (keys.length > 1) barf('Only one key allowed in match expression');
  return result;
}

function parseList(list: readonly unknown[]): AnythingBut {
  const strings: string[] = [];
  const numbers: number[] = [];
  for (const member of list) {
    if (member instanceof UncomparableNumber) barf(`Cannot compare number : ${member.digits()}`);
    if (typeof member === 'string') strings.push(member);
    else if (isJsonNumber(member)) numbers.push(member);
    else barf(BAD_LIST_MEMBER);
  }
  if (strings.length > 0 && numbers.length === 0) return { kind: 'strings', values: strings };
  if (numbers.length > 0 && strings.length === 0) return { kind: 'numbers', values: numbers };
  return barf(MIXED_LIST);
}

/**
 * A string, or a non-empty list of strings, as a list; other shapes fail with the operator's
 * reason. An empty list is rejected like every other empty array in a pattern (not AWS-verified).
 */
function stringList(value: unknown, notString: string, badMember: string): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return barf(notString);
  const list: readonly unknown[] = value;
  const strings = list.map((member) => (typeof member === 'string' ? member : barf(badMember)));
  if (strings.length === 0) barf('Empty arrays are not allowed');
  return strings;
}
