import { matches, rejection, withDetail, type MatchCase, type RejectCase } from './helpers';

describe('prefix and suffix (§1.4)', () => {
  const cases: MatchCase[] = [
    ['[LS:content_prefix] prefix matches', { detail: { f: [{ prefix: 'image' }] } }, withDetail({ f: 'image.png' }), true],
    ['[LS:content_prefix_NEG] prefix does not match', { detail: { f: [{ prefix: 'image' }] } }, withDetail({ f: 'an image.png' }), false],
    ['[ER-probe] prefix never matches a number', { detail: { f: [{ prefix: '12' }] } }, withDetail({ f: 123 }), false],
    ['[ER-probe] prefix does not match a missing field', { detail: { f: [{ prefix: '' }] } }, withDetail({ g: 'x' }), false],
    ['[LS:content_prefix_empty] empty prefix matches every string', { detail: { f: [{ prefix: '' }] } }, withDetail({ f: 'anything' }), true],
    ['[LS:content_prefix_empty NEG] empty prefix does not match null', { detail: { f: [{ prefix: '' }] } }, withDetail({ f: null }), false],
    ['[LS:content_suffix] suffix matches', { detail: { f: [{ suffix: '.png' }] } }, withDetail({ f: 'image.png' }), true],
    ['[LS:content_suffix_NEG] suffix is case sensitive', { detail: { f: [{ suffix: '.PNG' }] } }, withDetail({ f: 'image.png' }), false],
    ['[LS:content_suffix_empty] empty suffix matches every string', { detail: { f: [{ suffix: '' }] } }, withDetail({ f: '' }), true],
    ['[ER-probe] suffix never matches a number', { detail: { f: [{ suffix: '3' }] } }, withDetail({ f: 123 }), false],
    ['[LS:content_prefix_ignorecase] prefix equals-ignore-case', { source: [{ prefix: { 'equals-ignore-case': 'EventB' } }] }, { source: 'eventbridge.test' }, true],
    ['[LS:content_prefix_ignorecase NEG] prefix equals-ignore-case, other prefix', { source: [{ prefix: { 'equals-ignore-case': 'EventB' } }] }, { source: 'xeventbridge' }, false],
    ['[LS:content_suffix_ignorecase] suffix equals-ignore-case', { detail: { f: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, withDetail({ f: 'IMAGE.PNG' }), true],
    ['[LS:content_suffix_ignorecase_NEG] suffix equals-ignore-case, other suffix', { detail: { f: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, withDetail({ f: 'image.jpg' }), false],
    ['[ER-probe] suffix equals-ignore-case never matches a number', { detail: { f: [{ suffix: { 'equals-ignore-case': '1' } }] } }, withDetail({ f: 1 }), false],
  ];
  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });

  const invalid: RejectCase[] = [
    ['[LS:content_prefix_int_EXC] number operand', { f: [{ prefix: 1 }] }, 'prefix match pattern must be a string'],
    ['[LS:content_prefix_list_EXC] list operand', { f: [{ prefix: ['a'] }] }, 'prefix match pattern must be a string'],
    ['[ER-probe] null operand', { f: [{ prefix: null }] }, 'prefix match pattern must be a string'],
    ['[LS:content_suffix_int_EXC] number operand', { f: [{ suffix: 1 }] }, 'suffix match pattern must be a string'],
    ['[LS:content_suffix_list_EXC] list operand', { f: [{ suffix: ['a'] }] }, 'suffix match pattern must be a string'],
    ['[ER-probe] prefix equals-ignore-case with a number', { f: [{ prefix: { 'equals-ignore-case': 1 } }] }, 'equals-ignore-case match pattern must be a string'],
    ['[ER-probe] suffix equals-ignore-case with a list', { f: [{ suffix: { 'equals-ignore-case': ['a'] } }] }, 'equals-ignore-case match pattern must be a string'],
    ['[ER-probe] prefix with another nested operator', { f: [{ prefix: { wildcard: 'a' } }] }, 'Unsupported prefix pattern: wildcard'],
    ['[ER-probe] suffix with an empty object', { f: [{ suffix: {} }] }, 'Empty objects are not allowed'],
    ['[ER-probe] prefix object with two keys', { f: [{ prefix: { 'equals-ignore-case': 'a', x: 1 } }] }, 'Only one key allowed in match expression'],
  ];
  it.each(invalid)('rejects %s', (_name, pattern, reason) => {
    expect(rejection(pattern)).toBe(reason);
  });
});

describe('equals-ignore-case (§1.5)', () => {
  const cases: MatchCase[] = [
    ['[LS:content_ignorecase] different case matches', { detail: { f: [{ 'equals-ignore-case': 'AlIcE' }] } }, withDetail({ f: 'alice' }), true],
    ['[LS:content_ignorecase_NEG] different string', { detail: { f: [{ 'equals-ignore-case': 'alice' }] } }, withDetail({ f: 'alice2' }), false],
    ['[LS:content_ignorecase_empty] "" matches ""', { detail: { f: [{ 'equals-ignore-case': '' }] } }, withDetail({ f: '' }), true],
    ['[LS:content_ignorecase_empty_NEG] "" matches only ""', { detail: { f: [{ 'equals-ignore-case': '' }] } }, withDetail({ f: ' ' }), false],
    ['[ER-probe] strings only: not a number', { detail: { f: [{ 'equals-ignore-case': '1' }] } }, withDetail({ f: 1 }), false],
    ['[ER-probe] strings only: not a boolean', { detail: { f: [{ 'equals-ignore-case': 'TRUE' }] } }, withDetail({ f: true }), false],
    // event-ruler folds the operand one UTF-16 unit at a time (each unit: its lower or its upper form) and never the event value.
    ['[ER source] operand straße matches STRASSE (ß upper-cases to SS)', { detail: { f: [{ 'equals-ignore-case': 'straße' }] } }, withDetail({ f: 'STRASSE' }), true],
    ['[ER source] operand STRASSE does not match straße (the event is not folded)', { detail: { f: [{ 'equals-ignore-case': 'STRASSE' }] } }, withDetail({ f: 'straße' }), false],
    ['[ER source] operand k does not match the Kelvin sign', { detail: { f: [{ 'equals-ignore-case': 'k' }] } }, withDetail({ f: '\u212a' }), false],
    ['[ER source] ⱥ matches Ⱥ (different UTF-8 lengths)', { detail: { f: [{ 'equals-ignore-case': '12ⱥ34' }] } }, withDetail({ f: '12Ⱥ34' }), true],
    ['[ER source] ő is not ŏ', { detail: { f: [{ 'equals-ignore-case': '1#$^sS我ŐaBc' }] } }, withDetail({ f: '1#$^sS我ŏaBc' }), false],
    ['[ER source] non-letters and CJK pass through', { detail: { f: [{ 'equals-ignore-case': '1#$^sS我ŐaBc' }] } }, withDetail({ f: '1#$^Ss我őAbC' }), true],
    ['[ER source] prefix equals-ignore-case with ß', { detail: { f: [{ prefix: { 'equals-ignore-case': 'STRAß' } }] } }, withDetail({ f: 'straSSe-1' }), true],
    ['[ER source] prefix equals-ignore-case: ß does not match ss', { detail: { f: [{ prefix: { 'equals-ignore-case': 'STRAß' } }] } }, withDetail({ f: 'strasse-1' }), false],
    ['[ER source] suffix equals-ignore-case with Σ', { detail: { f: [{ suffix: { 'equals-ignore-case': 'Σ' } }] } }, withDetail({ f: 'ΟΔΟΣ' }), true],
    ['[ER source] anything-but equals-ignore-case excludes ß forms', { detail: { f: [{ 'anything-but': { 'equals-ignore-case': 'straße' } }] } }, withDetail({ f: 'STRASSE' }), false],
    ['[ER-probe] Unicode folding: ÉCOLE equals école', { detail: { f: [{ 'equals-ignore-case': 'ÉCOLE' }] } }, withDetail({ f: 'école' }), true],
    ['[ER-probe] Unicode folding: ÉCOLE is not ecole', { detail: { f: [{ 'equals-ignore-case': 'ÉCOLE' }] } }, withDetail({ f: 'ecole' }), false],
  ];
  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });

  const invalid: RejectCase[] = [
    ['[LS:content_ignorecase_list_EXC] list operand', { f: [{ 'equals-ignore-case': ['a'] }] }, 'equals-ignore-case match pattern must be a string'],
    ['[LS:content_ignorecase_EXC] object operand', { f: [{ 'equals-ignore-case': { prefix: 'a' } }] }, 'equals-ignore-case match pattern must be a string'],
    ['[ER-probe] number operand', { f: [{ 'equals-ignore-case': 5 }] }, 'equals-ignore-case match pattern must be a string'],
  ];
  it.each(invalid)('rejects %s', (_name, pattern, reason) => {
    expect(rejection(pattern)).toBe(reason);
  });
});
