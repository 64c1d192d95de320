import { compilePattern } from '../../../events/pattern';
import { matches, rejection, withDetail, type MatchCase } from './helpers';

describe('exact values and JSON types (§1.2)', () => {
  const cases: MatchCase[] = [
    ['[LS:string] exact string with trailing space and emoji', { detail: { s: ['hi there 🎉 '] } }, withDetail({ s: 'hi there 🎉 ' }), true],
    ['[LS:string_NEG] no trimming', { detail: { s: ['hi there 🎉 '] } }, withDetail({ s: 'hi there 🎉' }), false],
    ['[LS:string_NEG] no case folding', { detail: { s: ['Running'] } }, withDetail({ s: 'running' }), false],
    ['[LS:string_empty] "" matches the empty string', { detail: { s: [''] } }, withDetail({ s: '' }), true],
    ['[LS:string_empty_NEG] "" does not match other strings', { detail: { s: [''] } }, withDetail({ s: ' ' }), false],
    ['[LS:string_empty_NEG] "" does not match null', { detail: { s: [''] } }, withDetail({ s: null }), false],
    ['[LS:boolean] false matches false', { detail: { b: [false] } }, withDetail({ b: false }), true],
    ['[LS:boolean_NEG] false does not match true', { detail: { b: [false] } }, withDetail({ b: true }), false],
    ['[ER-probe] "true" does not match true', { detail: { b: ['true'] } }, withDetail({ b: true }), false],
    ['[ER-probe] true does not match "true"', { detail: { b: [true] } }, withDetail({ b: 'true' }), false],
    ['[ER-probe] "300" does not match 300', { detail: { n: ['300'] } }, withDetail({ n: 300 }), false],
    ['[ER-probe] 300 does not match "300"', { detail: { n: [300] } }, withDetail({ n: '300' }), false],
    ['[ER-probe] 300 matches 300', { detail: { n: [300] } }, withDetail({ n: 300 }), true],
    ['[LS:null_value] null matches a present null', { detail: { v: [null] } }, withDetail({ v: null }), true],
    ['[LS:null_value_NEG] null does not match a missing field', { detail: { v: [null] } }, withDetail({ other: 1 }), false],
    ['[docs:eb-event-patterns-null-values] null does not match ""', { detail: { v: [null] } }, withDetail({ v: '' }), false],
    ['[docs:eb-event-patterns-null-values] "null" is not null', { detail: { v: ['null'] } }, withDetail({ v: null }), false],
    ['[docs] null and a string are ORed in one list', { detail: { v: [null, 'x'] } }, withDetail({ v: 'x' }), true],
    ['[ER-probe] negative numbers and zero', { detail: { n: [-1, 0] } }, withDetail({ n: -0 }), true],
  ];
  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });

  describe('numbers compare by value (§1.2, §9.1)', () => {
    it('[LS:number_comparison_float] event 300.0 matches [300]', () => {
      expect(compilePattern('{"detail":{"n":[300]}}')('{"detail":{"n":300.0}}')).toBe(true);
    });
    it('[ER-probe] event 3.0e2 matches [300] and pattern 3.0e2 matches 300', () => {
      expect(compilePattern('{"detail":{"n":[300]}}')('{"detail":{"n":3.0e2}}')).toBe(true);
      expect(compilePattern('{"detail":{"n":[3.0e2]}}')('{"detail":{"n":300}}')).toBe(true);
      expect(compilePattern('{"detail":{"n":[300.0]}}')('{"detail":{"n":300}}')).toBe(true);
    });
    it('[LS:number_comparison_float NEG] a different value does not match', () => {
      expect(compilePattern('{"detail":{"n":[300]}}')('{"detail":{"n":300.5}}')).toBe(false);
      expect(compilePattern('{"detail":{"n":[300]}}')('{"detail":{"n":"300.0"}}')).toBe(false);
    });
    it('[docs:eb-events] 64-bit-range integers still match by value', () => {
      expect(compilePattern('{"n":[5000000000]}')('{"n":5e9}')).toBe(true);
      expect(compilePattern('{"n":[5000000000]}')('{"n":5000000001}')).toBe(false);
    });
  });

  it('[ER-probe] a matcher list may not contain arrays or non-JSON values', () => {
    const reason = 'Match value must be String, number, true, false, or null';
    expect(rejection({ a: [[1]] })).toBe(reason);
    expect(rejection({ a: [Number.NaN] })).toBe(reason);
    expect(rejection({ a: [undefined] })).toBe(reason);
  });
});
