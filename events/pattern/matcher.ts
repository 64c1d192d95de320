import type { UncomparableNumber } from './uncomparable-number';

/**
 * One validated entry of a pattern's matcher list, as a discriminated union.
 *
 * The parser produces these once; the value-test compiler turns a list of them into one predicate.
 * Wildcards are kept pre-split into literal segments so matching never re-parses the operand.
 */
export type Matcher =
  | { readonly kind: 'exact'; readonly value: string | number | boolean | null | UncomparableNumber }
  | { readonly kind: 'prefix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'suffix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'equals-ignore-case'; readonly value: string }
  | { readonly kind: 'wildcard'; readonly segments: readonly string[] }
  | { readonly kind: 'numeric'; readonly range: NumericRange }
  | { readonly kind: 'exists'; readonly value: boolean }
  | { readonly kind: 'cidr'; readonly range: IpRange }
  | { readonly kind: 'anything-but'; readonly exclude: AnythingBut };

/** A numeric interval; `=` is the closed interval [x, x]. Bounds absent mean unbounded. */
export interface NumericRange {
  readonly low?: number;
  readonly lowOpen: boolean;
  readonly high?: number;
  readonly highOpen: boolean;
}

/** An IP block: the network bytes (4 or 16) and how many leading bits must agree. */
export interface IpRange {
  readonly bytes: readonly number[];
  readonly maskBits: number;
}

/** What an anything-but excludes; values of another type than the excluded ones always pass. */
export type AnythingBut =
  | { readonly kind: 'strings'; readonly values: readonly string[] }
  | { readonly kind: 'numbers'; readonly values: readonly number[] }
  | { readonly kind: 'prefix' | 'suffix' | 'equals-ignore-case'; readonly values: readonly string[] }
  | { readonly kind: 'wildcard'; readonly patterns: readonly (readonly string[])[] };
