import { ignoreCaseMatcher } from './case-fold';
import { ipInRange } from './cidr';
import type { AnythingBut, Matcher } from './matcher';
import { inNumericRange } from './parse-numeric';
import { UncomparableNumber } from './uncomparable-number';
import { matchWildcard } from './wildcard';

/** A JSON leaf value of the event: the only things matchers ever see. */
export type Leaf = string | number | boolean | null | UncomparableNumber;

/** A compiled matcher list: the ORed test for a present leaf, and whether absence also matches. */
export interface ValueTest {
  readonly test: (value: Leaf) => boolean;
  readonly existsFalse: boolean;
}

type Predicate = (value: Leaf) => boolean;

const never: Predicate = () => false;
const always: Predicate = () => true;

/**
 * Compiles a field's ORed matcher list into one predicate over leaf values.
 *
 * Exact literals go into one Set, whose SameValueZero equality keeps JSON types apart ("300" is
 * not 300, "true" is not true) while numbers compare by value (300 and 300.0 are the same
 * double). `exists:false` is not a value test: it is reported apart, because it is satisfied by
 * the absence of any leaf at the path.
 */
export function compileValueTest(matchers: readonly Matcher[]): ValueTest {
  const exact = new Set<Leaf>();
  const numberTexts = new Set<string>();
  const predicates: Predicate[] = [];
  let existsFalse = false;
  for (const m of matchers) {
    if (m.kind === 'exact' && m.value instanceof UncomparableNumber) numberTexts.add(m.value.digits());
    else if (m.kind === 'exact') exact.add(m.value);
    else if (m.kind === 'exists' && !m.value) existsFalse = true;
    else predicates.push(operatorPredicate(m));
  }
  if (numberTexts.size > 0) predicates.push((v) => v instanceof UncomparableNumber && numberTexts.has(v.digits()));
  return { test: combine(exact, predicates), existsFalse };
}

function combine(exact: Set<Leaf>, predicates: Predicate[]): Predicate {
  if (predicates.includes(always)) return always;
  const [only] = exact;
  if (predicates.length === 0) {
    if (exact.size === 0) return never;
    return exact.size === 1 ? (v) => v === only : (v) => exact.has(v);
  }
  if (exact.size === 0 && predicates.length === 1) return predicates[0] ?? never;
  return (v) => {
    if (exact.has(v)) return true;
    for (const p of predicates) if (p(v)) return true;
    return false;
  };
}

function operatorPredicate(m: Exclude<Matcher, { kind: 'exact' }>): Predicate {
  switch (m.kind) {
    case 'exists':
      return always;
    case 'prefix': {
      const operand = m.value;
      if (m.ignoreCase) {
        const matches = ignoreCaseMatcher(operand, 'prefix');
        return (v) => typeof v === 'string' && matches(v);
      }
      return (v) => typeof v === 'string' && v.startsWith(operand);
    }
    case 'suffix': {
      const operand = m.value;
      if (m.ignoreCase) {
        const matches = ignoreCaseMatcher(operand, 'suffix');
        return (v) => typeof v === 'string' && matches(v);
      }
      return (v) => typeof v === 'string' && v.endsWith(operand);
    }
    case 'equals-ignore-case': {
      const matches = ignoreCaseMatcher(m.value, 'equals');
      return (v) => typeof v === 'string' && matches(v);
    }
    case 'wildcard':
      return (v) => typeof v === 'string' && matchWildcard(m.segments, v);
    case 'numeric':
      return (v) => typeof v === 'number' && inNumericRange(m.range, v);
    case 'cidr':
      return (v) => typeof v === 'string' && ipInRange(m.range, v);
    case 'anything-but':
      return anythingButPredicate(m.exclude);
  }
}

/** anything-but: a present leaf passes unless it is of the excluded type and excluded. */
function anythingButPredicate(exclude: AnythingBut): Predicate {
  switch (exclude.kind) {
    case 'strings': {
      const values = new Set<Leaf>(exclude.values);
      return (v) => typeof v !== 'string' || !values.has(v);
    }
    case 'numbers': {
      const values = new Set<Leaf>(exclude.values);
      return (v) => typeof v !== 'number' || !values.has(v);
    }
    case 'prefix': {
      const values = exclude.values;
      return (v) => typeof v !== 'string' || !values.some((p) => v.startsWith(p));
    }
    case 'suffix': {
      const values = exclude.values;
      return (v) => typeof v !== 'string' || !values.some((s) => v.endsWith(s));
    }
    case 'equals-ignore-case': {
      const excluded = exclude.values.map((value) => ignoreCaseMatcher(value, 'equals'));
      return (v) => typeof v !== 'string' || !excluded.some((matches) => matches(v));
    }
    case 'wildcard': {
      const patterns = exclude.patterns;
      return (v) => typeof v !== 'string' || !patterns.some((p) => matchWildcard(p, v));
    }
  }
}
