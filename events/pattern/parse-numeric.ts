import { barf } from './invalid-event-pattern-error';
import { isJsonNumber, isJsonObject } from './json-guards';
import type { NumericRange } from './matcher';
import { UncomparableNumber } from './uncomparable-number';

/** Renders a list member the way Jackson's getText would show the token in a reason. */
function tokenText(value: unknown): string {
  if (value === undefined) return ']';
  if (Array.isArray(value)) return '[';
  if (isJsonObject(value)) return '{';
  return typeof value === 'string' ? value : String(value);
}

function numberAt(terms: readonly unknown[], index: number, operator: string): number {
  const value = terms[index];
  if (value instanceof UncomparableNumber) barf(`Cannot compare number : ${value.digits()}`);
  if (!isJsonNumber(value)) barf(`Value of ${operator} must be numeric`);
  return value;
}

/**
 * Validates a `numeric` operand (`[op, n]` or `[">"|">=", low, "<"|"<=", high]`) into a range.
 *
 * Reasons and their order follow event-ruler's compiler, so the first problem found is the one
 * reported, as EventBridge does.
 */
export function parseNumeric(operand: unknown): NumericRange {
  if (!Array.isArray(operand)) barf('Value of numeric must be an array.');
  const terms: readonly unknown[] = operand;
  const operator = terms[0];
  if (typeof operator !== 'string') barf(`Invalid member in numeric match: ${tokenText(operator)}`);
  const value = numberAt(terms, 1, operator);
  switch (operator) {
    case '=':
      if (terms.length > 2) barf('Too many elements in numeric expression');
      return { low: value, lowOpen: false, high: value, highOpen: false };
    case '<':
    case '<=':
      if (terms.length > 2) barf('Too many elements in numeric expression');
      return { lowOpen: false, high: value, highOpen: operator === '<' };
    case '>':
    case '>=':
      if (terms.length === 2) return { low: value, lowOpen: operator === '>', highOpen: false };
      return completeRange(terms, value, operator === '>');
    default:
      return barf(`Unrecognized numeric range operator: ${operator}`);
  }
}

function completeRange(terms: readonly unknown[], low: number, lowOpen: boolean): NumericRange {
  const operator = terms[2];
  if (typeof operator !== 'string') barf(`Bad value in numeric range: ${tokenText(operator)}`);
  if (operator !== '<' && operator !== '<=') barf(`Bad numeric range operator: ${operator}`);
  const high = numberAt(terms, 3, operator);
  if (terms.length > 4) barf('Too many terms in numeric range expression');
  if (low >= high) barf('Bottom must be less than top');
  return { low, lowOpen, high, highOpen: operator === '<' };
}

/** True when a number lies in the range. */
export function inNumericRange(range: NumericRange, value: number): boolean {
  const { low, high } = range;
  if (low !== undefined && (range.lowOpen ? value <= low : value < low)) return false;
  if (high !== undefined && (range.highOpen ? value >= high : value > high)) return false;
  return true;
}
