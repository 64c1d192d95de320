import { compilePattern } from '../../../events/pattern';
import { matches, rejection, withDetail, type MatchCase, type RejectCase } from './helpers';

const num = (operand: unknown): unknown => ({ detail: { n: [{ numeric: operand }] } });

describe('numeric (§1.7)', () => {
  const cases: MatchCase[] = [
    ['[LS:numeric-int] > holds', num(['>', 100]), withDetail({ n: 101 }), true],
    ['[LS:numeric-int NEG] > at the bound fails', num(['>', 100]), withDetail({ n: 100 }), false],
    ['[LS:numeric-int-float] 101.0 > 100', num(['>', 100]), withDetail({ n: 101.0 }), true],
    ['[ER-probe] >= at the bound holds', num(['>=', 100]), withDetail({ n: 100 }), true],
    ['[ER-probe] < holds', num(['<', 0]), withDetail({ n: -0.5 }), true],
    ['[ER-probe] < at the bound fails', num(['<', 0]), withDetail({ n: 0 }), false],
    ['[ER-probe] <= at the bound holds', num(['<=', 0]), withDetail({ n: 0 }), true],
    ['[ER-probe] = by value', num(['=', 300]), withDetail({ n: 3e2 }), true],
    ['[ER-probe] = other value', num(['=', 300]), withDetail({ n: 300.1 }), false],
    ['[docs] range (> low, <= high) inside', num(['>', 0, '<=', 5]), withDetail({ n: 5 }), true],
    ['[docs] range (> low, <= high) at the open bottom', num(['>', 0, '<=', 5]), withDetail({ n: 0 }), false],
    ['[docs] range (>= low, < high) at the open top', num(['>=', 0, '<', 5]), withDetail({ n: 5 }), false],
    ['[ER-probe] > 5000000000 works (full double range)', num(['>', 5000000000]), withDetail({ n: 5000000001 }), true],
    ['[ER-probe] > 5000000000, smaller value', num(['>', 5000000000]), withDetail({ n: 4999999999 }), false],
    ['[LS:numeric-string_NEG] a string "300" does not match', num(['>', 100]), withDetail({ n: '300' }), false],
    ['[LS:numeric-null_NEG] null does not match', num(['>', 100]), withDetail({ n: null }), false],
    ['[ER-probe] a boolean does not match', num(['>', -1]), withDetail({ n: true }), false],
    ['[ER-probe] a missing field does not match', num(['>', -1]), withDetail({ m: 1 }), false],
    ['[LS:or-numeric-anything-but] several numeric matchers are ORed', { detail: { n: [{ numeric: ['<', 0] }, { numeric: ['>', 10] }] } }, withDetail({ n: 11 }), true],
    ['[LS:or-numeric-anything-but NEG] several numeric matchers, none', { detail: { n: [{ numeric: ['<', 0] }, { numeric: ['>', 10] }] } }, withDetail({ n: 5 }), false],
  ];
  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });

  it('[ER-probe] numbers written with exponents in pattern text', () => {
    const m = compilePattern('{"n":[{"numeric":[">=",1.5e2,"<",2E2]}]}');
    expect(m('{"n":150}')).toBe(true);
    expect(m('{"n":2.0e2}')).toBe(false);
  });

  const invalid: RejectCase[] = [
    ['[LS:content_numeric_number_EXC] not an array', num(5), 'Value of numeric must be an array.'],
    ['[ER-probe] object operand', num({ '>': 5 }), 'Value of numeric must be an array.'],
    ['[LS:content_numeric_syntax_EXC] missing value', num(['<']), 'Value of < must be numeric'],
    ['[ER-probe] value given as a string', num(['<', '5']), 'Value of < must be numeric'],
    ['[LS:content_numeric_EXC] two lower bounds', num(['>', 0, '>', 5]), 'Bad numeric range operator: >'],
    ['[ER-probe] upper bound first', num(['<', 5, '>', 0]), 'Too many elements in numeric expression'],
    ['[ER-probe] = followed by a second term', num(['=', 5, '<', 6]), 'Too many elements in numeric expression'],
    ['[ER-probe] low equal to high', num(['>', 5, '<', 5]), 'Bottom must be less than top'],
    ['[ER-probe] low above high', num(['>=', 6, '<=', 5]), 'Bottom must be less than top'],
    ['[ER-probe] empty array', num([]), 'Invalid member in numeric match: ]'],
    ['[ER-probe] number where the operator belongs', num([5, '>']), 'Invalid member in numeric match: 5'],
    ['[ER-probe] unknown operator', num(['!=', 5]), 'Unrecognized numeric range operator: !='],
    ['[ER-probe] range missing its top value', num(['>', 0, '<']), 'Value of < must be numeric'],
    ['[ER-probe] range with a number in the operator slot', num(['>', 0, 5]), 'Bad value in numeric range: 5'],
    ['[ER-probe] range with a fifth term', num(['>', 0, '<', 5, 6]), 'Too many terms in numeric range expression'],
  ];
  it.each(invalid)('rejects %s', (_name, pattern, reason) => {
    expect(rejection(pattern)).toBe(reason);
  });
});
