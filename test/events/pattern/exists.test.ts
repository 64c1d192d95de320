import { matches, rejection, withDetail, type MatchCase } from './helpers';

const exists = (value: boolean): unknown => ({ detail: { f: [{ exists: value }] } });

describe('exists (§1.8)', () => {
  const cases: MatchCase[] = [
    ['[LS:content_exists] exists:true on a present string', exists(true), withDetail({ f: 'x' }), true],
    ['[ER-probe] exists:true on a present null', exists(true), withDetail({ f: null }), true],
    ['[ER-probe] exists:true on false and 0', { detail: { f: [{ exists: true }], g: [{ exists: true }] } }, withDetail({ f: false, g: 0 }), true],
    ['[LS:content_exists_NEG] exists:true on a missing field', exists(true), withDetail({ g: 'x' }), false],
    ['[LS:content_exists_NEG] exists:true on an object value', exists(true), withDetail({ f: { g: 1 } }), false],
    ['[ER-probe] exists:true on an empty object', exists(true), withDetail({ f: {} }), false],
    ['[LS:exists_list_empty_NEG] exists:true on an empty array', exists(true), withDetail({ f: [] }), false],
    ['[ER-probe] exists:true on a non-empty array', exists(true), withDetail({ f: [null] }), true],
    ['[LS:content_exists_false] exists:false on a missing field', exists(false), withDetail({ g: 'x' }), true],
    ['[LS:content_exists_false_NEG] exists:false on a present leaf', exists(false), withDetail({ f: 'x' }), false],
    ['[ER-probe] exists:false on a present null', exists(false), withDetail({ f: null }), false],
    ['[docs c-count] exists:false on an object value', exists(false), withDetail({ f: { g: 1 } }), true],
    ['[ER-probe] exists:false on an empty object', exists(false), withDetail({ f: {} }), true],
    ['[ER-probe] exists:false on an empty array', exists(false), withDetail({ f: [] }), true],
    ['[ER-probe] exists:false on a non-empty array', exists(false), withDetail({ f: [1] }), false],
    ['[LS:content_exists_false] exists:false when the parent is missing', { detail: { a: { b: { c: [{ exists: false }] } } } }, withDetail({ x: 1 }), true],
    ['[LS:content_exists_false] exists:false when the whole detail is missing', exists(false), { source: 'x' }, true],
    ['[LS:exists_dynamodb] exists must reach the leaf', { presentKey: { S: [{ exists: true }] } }, { presentKey: { S: 'value' } }, true],
    ['[LS:exists_dynamodb_NEG] exists on the DynamoDB wrapper object', { presentKey: [{ exists: true }] }, { presentKey: { S: 'value' } }, false],
    ['[ER-probe] exists:false over array of objects: all lack the key', { a: { b: [{ exists: false }] } }, { a: [{ c: 1 }, { c: 2 }] }, true],
    ['[ER-probe] exists:false over array of objects: one has the key', { a: { b: [{ exists: false }] } }, { a: [{ b: 1 }, { c: 2 }] }, false],
    ['[LS:list_within_dict] exists:true over array of objects: some has the key', { a: { b: [{ exists: true }] } }, { a: [{ c: 1 }, { b: 2 }] }, true],
    ['[ER-probe] exists:false with a sibling field under the same array', { a: { b: [1], c: [{ exists: false }] } }, { a: [{ b: 1 }, { b: 2, c: 3 }] }, false],
    ['[LS:or-exists] anything-but or exists:false, field absent', { detail: { f: [{ 'anything-but': ['roses'] }, { exists: false }] } }, withDetail({ g: 1 }), true],
    ['[LS:or-exists-parent] anything-but or exists:false, parent absent', { detail: { x: { f: [{ 'anything-but': ['roses'] }, { exists: false }] } } }, { source: 's' }, true],
    ['[LS:or-exists NEG] anything-but or exists:false, excluded value present', { detail: { f: [{ 'anything-but': ['roses'] }, { exists: false }] } }, withDetail({ f: 'roses' }), false],
    ['[ER-probe] exists:false ANDed with another field', { source: ['s'], detail: { f: [{ exists: false }] } }, { source: 's', detail: {} }, true],
    ['[ER-probe] exists:false ANDed with another field that fails', { source: ['t'], detail: { f: [{ exists: false }] } }, { source: 's' }, false],
  ];
  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });

  it.each([['true'], [1], [null], [[true]]])('[ER-probe] rejects a non-boolean operand %j', (operand) => {
    expect(rejection({ f: [{ exists: operand }] })).toBe('exists match pattern must be either true or false.');
  });
});
