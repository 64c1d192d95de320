import { matches, withDetail, type MatchCase } from './helpers';

describe('arrays in the event (§1.3)', () => {
  const resourcesPattern = { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f'] };
  const cases: MatchCase[] = [
    ['[LS:arrays] any element in the pattern list', resourcesPattern, { resources: ['x', 'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f'] }, true],
    ['[LS:arrays_NEG] no common element', resourcesPattern, { resources: ['x', 'y'] }, false],
    ['[LS:arrays_empty_null_NEG] [] does not match [null]', { resources: [null] }, { resources: [] }, false],
    ['[ER-probe] null inside an event array matches [null]', { resources: [null] }, { resources: ['a', null] }, true],
    ['[ER-probe] null inside an event array, pattern wants a string', { resources: ['b'] }, { resources: ['a', null] }, false],
    ['[ER-probe] numeric on an array: one element suffices', { detail: { n: [{ numeric: ['>', 10] }] } }, withDetail({ n: [1, 50] }), true],
    ['[ER-probe] numeric on an array: no element', { detail: { n: [{ numeric: ['>', 10] }] } }, withDetail({ n: [1, 5] }), false],
    ['[ER-probe] prefix on an array', { detail: { n: [{ prefix: 'ab' }] } }, withDetail({ n: ['xx', 'abc'] }), true],
    ['[ER-probe] nested arrays are flattened', { detail: { n: [3] } }, withDetail({ n: [[1, 2], [[3]]] }), true],
    ['[ER-probe] nested arrays are flattened, no element', { detail: { n: [4] } }, withDetail({ n: [[1, 2], [[3]]] }), false],
    ['[LS:list_within_dict] array of objects is crushed: some element has id', { automations: { id: [{ exists: true }] } }, { automations: [{ x: 1 }, { id: 'a' }] }, true],
    ['[LS:list_within_dict NEG] no element has id', { automations: { id: [{ exists: true }] } }, { automations: [{ x: 1 }, { y: 2 }] }, false],
    ['[ER-probe] array of objects with a value test', { detail: { items: { sku: ['B'] } } }, withDetail({ items: [{ sku: 'A' }, { sku: 'B' }] }), true],
    ['[ER-probe] arrays at several levels', { a: { b: { c: [3] } } }, { a: [{ b: [{ c: 1 }, { c: [2, 3] }] }] }, true],
  ];
  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });

  describe('array consistency: sibling fields match inside the same element (event-ruler rulesForJSONEvent)', () => {
    const pattern = { detail: { items: { sku: ['A'], qty: [2] } } };
    const consistency: MatchCase[] = [
      ['[ER-probe array-of-objects-same-element] both fields in one element', pattern, withDetail({ items: [{ sku: 'B', qty: 1 }, { sku: 'A', qty: 2 }] }), true],
      ['[ER-probe array-of-objects-cross-element] fields from different elements', pattern, withDetail({ items: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 2 }] }), false],
      [
        '[ER-probe] deeper arrays: fields must share every common array',
        { a: { b: { x: [1], y: [2] } } },
        { a: [{ b: [{ x: 1 }, { y: 2 }] }, { b: [{ x: 1, y: 2 }] }] },
        true,
      ],
      ['[ER-probe] deeper arrays: never in one element', { a: { b: { x: [1], y: [2] } } }, { a: [{ b: [{ x: 1 }, { y: 2 }] }, { b: [{ x: 1, y: 3 }] }] }, false],
      [
        '[ER-probe] fields under different arrays are independent',
        { a: { x: [1] }, b: { y: [2] } },
        { a: [{ x: 0 }, { x: 1 }], b: [{ y: 2 }, { y: 0 }] },
        true,
      ],
      [
        '[ER-probe] a field outside the array binds nothing',
        { detail: { owner: ['me'], items: { sku: ['A'], qty: [2] } } },
        withDetail({ owner: 'me', items: [{ sku: 'A', qty: 2 }] }),
        true,
      ],
      [
        '[ER-probe] three fields, only one element satisfies all',
        { i: { a: [1], b: [2], c: [3] } },
        { i: [{ a: 1, b: 2, c: 0 }, { a: 1, b: 0, c: 3 }, { a: 1, b: 2, c: 3 }] },
        true,
      ],
      [
        '[ER-probe] three fields, each pair but never all three together',
        { i: { a: [1], b: [2], c: [3] } },
        { i: [{ a: 1, b: 2, c: 0 }, { a: 1, b: 0, c: 3 }, { a: 0, b: 2, c: 3 }] },
        false,
      ],
      [
        '[ER-probe] consistency with a field inside a nested leaf array',
        { i: { tags: ['red'], id: [7] } },
        { i: [{ id: 7, tags: ['blue'] }, { id: 8, tags: ['red', 'green'] }] },
        false,
      ],
    ];
    it.each(consistency)('%s', (_name, p, event, expected) => {
      expect(matches(p, event)).toBe(expected);
    });

    it('[ER-probe] large arrays with many candidates in one component and an independent one', () => {
      const items = Array.from({ length: 400 }, (_, i) => ({ a: 1, b: 1, c: i === 399 ? 1 : 0 }));
      const other = Array.from({ length: 400 }, () => ({ z: 1 }));
      expect(matches({ i: { a: [1], b: [1], c: [1] }, o: { z: [1] } }, { i: items, o: other })).toBe(true);
      expect(matches({ i: { a: [1], b: [1], c: [2] }, o: { z: [1] } }, { i: items, o: other })).toBe(false);
    });
  });
});

describe('limits on event nesting (§1.13)', () => {
  const nested = (levels: number, leaf: unknown): unknown => {
    let value = leaf;
    for (let i = 0; i < levels; i++) value = [value];
    return value;
  };
  it('[docs:PutEvents] 1000 levels of arrays are still matched', () => {
    expect(matches({ a: [7] }, { a: nested(1000, 7) })).toBe(true);
    expect(matches({ a: [8] }, { a: nested(1000, 7) })).toBe(false);
  });
  it('[docs:PutEvents] deeper nesting is a clear error, not a stack overflow', () => {
    expect(() => matches({ a: [7] }, { a: nested(5000, 7) })).toThrow('Event nests arrays deeper than 1000 levels at "a"');
  });
});
