import { matches, rejection, withDetail, type MatchCase } from './helpers';

describe('$or (§1.11)', () => {
  const complexOr = {
    source: ['aws.ec2'],
    detail: {
      $or: [{ state: ['running'] }, { 'instance-id': [{ prefix: 'i-' }] }],
    },
  };
  const cases: MatchCase[] = [
    ['[LS:complex_or] first branch holds', complexOr, withDetail({ state: 'running', 'instance-id': 'x' }), true],
    ['[LS:complex_or] second branch holds', complexOr, withDetail({ state: 'stopped', 'instance-id': 'i-1' }), true],
    ['[LS:complex_or_NEG] no branch holds', complexOr, withDetail({ state: 'stopped', 'instance-id': 'x' }), false],
    ['[LS:complex_or_NEG] fields outside $or are still ANDed', complexOr, withDetail({ state: 'running' }, { source: 'aws.s3' }), false],
    [
      '[ER-probe or-nested] nested $or, inner branch holds',
      { $or: [{ a: [1] }, { $or: [{ b: [2] }, { c: [3] }] }] },
      { c: 3 },
      true,
    ],
    ['[ER-probe or-nested] nested $or, nothing holds', { $or: [{ a: [1] }, { $or: [{ b: [2] }, { c: [3] }] }] }, { c: 4 }, false],
    [
      '[ER-probe] two sibling $or arrays are ANDed',
      { detail: { $or: [{ a: [1] }, { b: [1] }] }, $or: [{ source: ['x'] }, { region: ['y'] }] },
      { source: 'x', detail: { b: 1 } },
      true,
    ],
    [
      '[ER-probe] two sibling $or arrays, one unsatisfied',
      { detail: { $or: [{ a: [1] }, { b: [1] }] }, $or: [{ source: ['x'] }, { region: ['y'] }] },
      { source: 'z', detail: { b: 1 } },
      false,
    ],
    [
      '[ER-probe] $or branches keep array consistency per branch',
      { $or: [{ i: { a: [1], b: [2] } }, { x: [0] }] },
      { i: [{ a: 1, b: 0 }, { a: 0, b: 2 }] },
      false,
    ],
    ['[ER-probe] $or with exists:false in a branch', { $or: [{ a: [{ exists: false }] }, { a: [1] }] }, { b: 1 }, true],
    ['[ER-probe] one-member $or is a field literally named $or', { $or: [{ exists: true }] }, { $or: 'x' }, true],
    ['[ER-probe] one-member $or as a field, field absent', { $or: [{ exists: true }] }, { a: 1 }, false],
    ['[ER-probe] operator-keyed members make $or a literal field', { $or: [{ prefix: 'a' }, { suffix: 'z' }] }, { $or: 'xyz' }, true],
    ['[ER-probe] $or of literals is a literal field', { $or: ['a', 'b'] }, { $or: 'b' }, true],
    ['[ER-probe] $or with an object value is a nested field', { $or: { a: [1] } }, { $or: { a: 1 } }, true],
  ];
  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });

  it('[ER-probe] one member keyed by a field: treated as a literal field, so its key is an unknown match type', () => {
    expect(rejection({ $or: [{ a: ['x'] }] })).toBe('Unrecognized match type a');
  });
  it('[ER-probe] a non-object member makes $or a literal field', () => {
    expect(rejection({ $or: [{ a: ['x'] }, 'b'] })).toBe('Unrecognized match type a');
  });
  it('[ER-probe] an empty member is an empty object', () => {
    expect(rejection({ $or: [{ a: ['x'] }, {}] })).toBe('Empty objects are not allowed');
  });
  it('[ER-probe] a bare value under $or', () => {
    expect(rejection({ $or: 'x' })).toBe('"$or" must be an object or an array');
  });

  describe('1000-combination limit (docs: content filtering, $or note)', () => {
    const or = (n: number, field: string): unknown[] => Array.from({ length: n }, (_, i) => ({ [field]: [i] }));
    it('accepts exactly 1000 combinations (10 x 10 x 10)', () => {
      const pattern = { $or: or(10, 'a'), b: { $or: or(10, 'c') }, d: { $or: or(10, 'e') } };
      expect(rejection(pattern)).toBeUndefined();
      expect(matches(pattern, { a: 9, b: { c: 9 }, d: { e: 9 } })).toBe(true);
      expect(matches(pattern, { a: 9, b: { c: 10 }, d: { e: 9 } })).toBe(false);
    });
    it('rejects 1001 or more combinations', () => {
      const pattern = { $or: or(11, 'a'), b: { $or: or(10, 'c') }, d: { $or: or(10, 'e') } };
      expect(rejection(pattern)).toBe('$or expands to more than 1000 combinations');
    });
    it('counts nested $or inside members', () => {
      const member = { x: { $or: or(40, 'y') } };
      expect(rejection({ $or: [member, member], z: { $or: or(13, 'w') } })).toBe('$or expands to more than 1000 combinations');
      expect(rejection({ $or: [member, member], z: { $or: or(12, 'w') } })).toBeUndefined();
    });
  });
});
