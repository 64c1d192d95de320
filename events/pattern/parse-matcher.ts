import { parseCidr } from './cidr';
import { barf } from './invalid-event-pattern-error';
import { isJsonObject, isJsonScalar, type JsonObject } from './json-guards';
import type { Matcher } from './matcher';
import { parseAnythingBut } from './parse-anything-but';
import { parseNumeric } from './parse-numeric';
import { UncomparableNumber } from './uncomparable-number';
import { parseWildcard } from './wildcard';

/** The operator names EventBridge recognises as matcher-object keys (lower case only). */
export const MATCH_TYPES: ReadonlySet<string> = new Set([
  'exists',
  'prefix',
  'suffix',
  'equals-ignore-case',
  'anything-but',
  'numeric',
  'cidr',
  'wildcard',
]);

/**
 * Validates one member of a leaf's matcher list into a Matcher.
 *
 * Literals (string, number, true, false, null) are exact matches; objects are operator
 * expressions with exactly one key. The first problem found wins, as in event-ruler, which
 * validates the first key's operand before noticing further keys.
 */
export function parseMatcher(member: unknown): Matcher {
  if (isJsonScalar(member) || member instanceof UncomparableNumber) return { kind: 'exact', value: member };
  if (!isJsonObject(member)) return barf('Match value must be String, number, true, false, or null');
  const keys = Object.keys(member);
  const [op] = keys;
  if (op === undefined) return barf('Empty objects are not allowed');
  const matcher = parseOperator(op, member[op]);
  if (keys.length > 1) barf('Only one key allowed in match expression');
  return matcher;
}

function parseOperator(op: string, operand: unknown): Matcher {
  switch (op) {
    case 'exists':
      if (typeof operand !== 'boolean') barf('exists match pattern must be either true or false.');
      return { kind: 'exists', value: operand };
    case 'prefix':
    case 'suffix':
      if (isJsonObject(operand)) return { kind: op, value: ignoreCaseOperand(op, operand), ignoreCase: true };
      if (typeof operand !== 'string') barf(`${op} match pattern must be a string`);
      return { kind: op, value: operand, ignoreCase: false };
    case 'equals-ignore-case':
      if (typeof operand !== 'string') barf('equals-ignore-case match pattern must be a string');
      return { kind: op, value: operand };
    case 'wildcard':
      if (typeof operand !== 'string') barf('wildcard match pattern must be a string');
      return { kind: op, segments: parseWildcard(operand) };
    case 'numeric':
      return { kind: op, range: parseNumeric(operand) };
    case 'cidr':
      if (typeof operand !== 'string') barf('prefix match pattern must be a string');
      return { kind: op, range: parseCidr(operand) };
    case 'anything-but':
      return { kind: op, exclude: parseAnythingBut(operand) };
    default:
      return barf(`Unrecognized match type ${op}`);
  }
}

/** The operand of `{"prefix"|"suffix": {"equals-ignore-case": "..."}}`. */
function ignoreCaseOperand(op: string, operand: JsonObject): string {
  const keys = Object.keys(operand);
  const [inner] = keys;
  if (inner === undefined) return barf('Empty objects are not allowed');
  if (inner !== 'equals-ignore-case') return barf(`Unsupported ${op} pattern: ${inner}`);
  const value = operand[inner];
  if (typeof value !== 'string') return barf('equals-ignore-case match pattern must be a string');
  if (keys.length > 1) barf('Only one key allowed in match expression');
  return value;
}
