import { matches, rejection, withDetail, type MatchCase, type RejectCase } from './helpers';

const ab = (operand: unknown): unknown => ({ detail: { f: [{ 'anything-but': operand }] } });

describe('anything-but (§1.6)', () => {
  const forms: MatchCase[] = [
    ['[LS:content_anything_but_string] other string passes', ab('initializing'), withDetail({ f: 'running' }), true],
    ['[LS:content_anything_but_string_NEG] the excluded string fails', ab('initializing'), withDetail({ f: 'initializing' }), false],
    ['[LS:content_anything_but_string_list] string outside the list passes', ab(['stopped', 'overloaded']), withDetail({ f: 'running' }), true],
    ['[LS:content_anything_but_string_list_NEG] string in the list fails', ab(['stopped', 'overloaded']), withDetail({ f: 'stopped' }), false],
    ['[LS:content_anything_but_number] other number passes', ab(100), withDetail({ f: 50 }), true],
    ['[LS:content_anything_but_number_NEG] excluded number fails (by value)', ab(100), withDetail({ f: 100.0 }), false],
    ['[LS:content_anything_but_number_zero] anything-but 0 with 789', ab(0), withDetail({ f: 789 }), true],
    ['[LS:content_anything_but_number_zero NEG] anything-but 0 with 0', ab(0), withDetail({ f: 0 }), false],
    ['[LS:content_anything_but_number_list] number outside the list', ab([100, 200, 300]), withDetail({ f: 301 }), true],
    ['[LS:content_anything_but_number_list_NEG] number in the list', ab([100, 200, 300]), withDetail({ f: 200 }), false],
    ['[LS:content_anything_prefix] other prefix passes', ab({ prefix: 'init' }), withDetail({ f: 'running' }), true],
    ['[LS:content_anything_prefix_NEG] excluded prefix fails', ab({ prefix: 'init' }), withDetail({ f: 'initializing' }), false],
    ['[LS:content_anything_prefix_list] prefix outside the list', ab({ prefix: ['init', 'stop'] }), withDetail({ f: 'running' }), true],
    ['[LS:content_anything_prefix_list_NEG] prefix in the list', ab({ prefix: ['init', 'stop'] }), withDetail({ f: 'stopping' }), false],
    ['[LS:content_anything_suffix] other suffix passes', ab({ suffix: '.txt' }), withDetail({ f: 'a.png' }), true],
    ['[LS:content_anything_suffix_NEG] excluded suffix fails', ab({ suffix: '.txt' }), withDetail({ f: 'a.txt' }), false],
    ['[LS:content_anything_suffix_list] suffix outside the list', ab({ suffix: ['.txt', '.csv'] }), withDetail({ f: 'a.png' }), true],
    ['[LS:content_anything_suffix_list NEG] suffix in the list', ab({ suffix: ['.txt', '.csv'] }), withDetail({ f: 'a.csv' }), false],
    ['[LS:content_anything_wildcard] not matching the wildcard passes', ab({ wildcard: '*/lib/*' }), withDetail({ f: '/usr/bin/x' }), true],
    ['[LS:content_anything_wildcard_NEG] matching the wildcard fails', ab({ wildcard: '*/lib/*' }), withDetail({ f: '/usr/lib/x' }), false],
    ['[LS:content_anything_wildcard_list] outside every wildcard', ab({ wildcard: ['*/lib/*', '*.tmp'] }), withDetail({ f: '/usr/bin/x' }), true],
    ['[LS:content_anything_wildcard_list NEG] inside one wildcard', ab({ wildcard: ['*/lib/*', '*.tmp'] }), withDetail({ f: 'a.tmp' }), false],
    ['[LS:content_anything_wildcard_empty] empty wildcard excludes only ""', ab({ wildcard: '' }), withDetail({ f: 'x' }), true],
    ['[LS:content_anything_wildcard_empty NEG] empty wildcard excludes ""', ab({ wildcard: '' }), withDetail({ f: '' }), false],
    ['[LS:content_anything_but_ignorecase] other string passes', ab({ 'equals-ignore-case': 'stopped' }), withDetail({ f: 'running' }), true],
    ['[LS:content_anything_but_ignorecase_NEG] case variant is excluded', ab({ 'equals-ignore-case': 'stopped' }), withDetail({ f: 'STOPPED' }), false],
    ['[LS:content_anything_but_ignorecase_list] outside the list', ab({ 'equals-ignore-case': ['stopped', 'pending'] }), withDetail({ f: 'running' }), true],
    ['[LS:content_anything_but_ignorecase_list_NEG] Stopped is excluded by stopped', ab({ 'equals-ignore-case': ['stopped', 'pending'] }), withDetail({ f: 'Stopped' }), false],
  ];
  it.each(forms)('%s', (_name, pattern, event, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });

  describe('evaluation rules', () => {
    const allForms: [string, unknown][] = [
      ['string', 'x'],
      ['number', 5],
      ['string list', ['x', 'y']],
      ['number list', [5, 6]],
      ['prefix', { prefix: 'x' }],
      ['suffix', { suffix: 'x' }],
      ['wildcard', { wildcard: 'x*' }],
      ['equals-ignore-case', { 'equals-ignore-case': 'x' }],
    ];
    it.each(allForms)('[LS:content_anything_*_missing_NEG] missing field gives false (%s)', (_form, operand) => {
      expect(matches(ab(operand), withDetail({ other: 'y' }))).toBe(false);
      expect(matches(ab(operand), { source: 'no-detail' })).toBe(false);
    });
    it.each(allForms)('[LS:content_anything_*_null] present null gives true (%s)', (_form, operand) => {
      expect(matches(ab(operand), withDetail({ f: null }))).toBe(true);
    });
    it.each(allForms)('[ER-probe] an object value gives false (%s)', (_form, operand) => {
      expect(matches(ab(operand), withDetail({ f: { nested: 'y' } }))).toBe(false);
    });
    it.each(allForms)('[ER-probe] an empty array gives false (%s)', (_form, operand) => {
      expect(matches(ab(operand), withDetail({ f: [] }))).toBe(false);
    });

    const types: MatchCase[] = [
      ['[LS:content_anything_prefix_int_value] 12 passes anything-but prefix "init"', ab({ prefix: 'init' }), withDetail({ f: 12 }), true],
      ['[LS:content_anything_prefix_list_int] number passes a prefix list', ab({ prefix: ['1', '2'] }), withDetail({ f: 123 }), true],
      ['[LS:content_anything_wildcard_int] 123 passes anything-but wildcard', ab({ wildcard: '1*' }), withDetail({ f: 123 }), true],
      ['[ER-probe] "5" passes anything-but 5', ab(5), withDetail({ f: '5' }), true],
      ['[ER-probe] 5 passes anything-but "5"', ab('5'), withDetail({ f: 5 }), true],
      ['[ER-probe] true passes anything-but "true"', ab('true'), withDetail({ f: true }), true],
      ['[ER-probe] a boolean passes anything-but equals-ignore-case', ab({ 'equals-ignore-case': 'false' }), withDetail({ f: false }), true],
      ['[ER-probe] array: some element not excluded gives true', ab(['a', 'b']), withDetail({ f: ['a', 'c'] }), true],
      ['[ER-probe] array: every element excluded gives false', ab(['a', 'b']), withDetail({ f: ['a', 'b', 'a'] }), false],
      ['[ER-probe] array of numbers, all excluded', ab([1, 2]), withDetail({ f: [2, 1.0] }), false],
      ['[LS:or-numeric-anything-but] anything-but ORed with numeric (anything-but holds)', { detail: { f: [{ 'anything-but': [1] }, { numeric: ['>', 10] }] } }, withDetail({ f: 5 }), true],
      ['[LS:or-numeric-anything-but] anything-but ORed with numeric (numeric holds)', { detail: { f: [{ 'anything-but': [11] }, { numeric: ['>', 10] }] } }, withDetail({ f: 11 }), true],
      ['[LS:or-numeric-anything-but NEG] neither holds', { detail: { f: [{ 'anything-but': [1] }, { numeric: ['>', 10] }] } }, withDetail({ f: 1 }), false],
      ['[LS:or-anything-but] anything-but or exists:false, field absent', { detail: { f: [{ 'anything-but': ['roses'] }, { exists: false }] } }, withDetail({ g: 1 }), true],
      ['[LS:or-anything-but NEG] anything-but or exists:false, excluded value', { detail: { f: [{ 'anything-but': ['roses'] }, { exists: false }] } }, withDetail({ f: 'roses' }), false],
    ];
    it.each(types)('%s', (_name, pattern, event, expected) => {
      expect(matches(pattern, event)).toBe(expected);
    });
  });

  const invalid: RejectCase[] = [
    ['[LS:content_anything_but_string_null_type_EXC] null operand', ab(null), 'Value of anything-but must be an array or single string/number value.'],
    ['[ER-probe] boolean operand', ab(true), 'Value of anything-but must be an array or single string/number value.'],
    ['[LS:content_anything_but_string_list_null_type_EXC] null in the list', ab(['a', null]), 'Inside anything but list, start|null|boolean is not supported.'],
    ['[ER-probe] boolean in the list', ab([true]), 'Inside anything but list, start|null|boolean is not supported.'],
    ['[ER-probe] nested list in the list', ab([['a']]), 'Inside anything but list, start|null|boolean is not supported.'],
    ['[ER-probe] mixed list', ab(['a', 1]), 'Inside anything but list, either all values are number or string, mixed type is not supported'],
    ['[ER-probe] empty list', ab([]), 'Inside anything but list, either all values are number or string, mixed type is not supported'],
    ['[ER-probe] anything-but numeric', ab({ numeric: ['>', 1] }), 'Unsupported anything-but pattern: numeric'],
    ['[ER-probe] anything-but exists', ab({ exists: true }), 'Unsupported anything-but pattern: exists'],
    ['[ER-probe] anything-but empty object', ab({}), 'Empty objects are not allowed'],
    ['[LS:content_anything_but_ignorecase_EXC] number under equals-ignore-case', ab({ 'equals-ignore-case': 5 }), 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'],
    ['[LS:content_anything_but_ignorecase_list_EXC] number in an equals-ignore-case list', ab({ 'equals-ignore-case': ['a', 5] }), 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'],
    ['[LS:content_anything_prefix_int_EXC] number prefix', ab({ prefix: 5 }), 'prefix/suffix match pattern must be a string'],
    ['[LS:content_anything_prefix_list_type_EXC] number in a prefix list', ab({ prefix: ['a', 5] }), 'prefix/suffix match pattern must be a string'],
    ['[LS:content_anything_suffix_list_null_type_EXC] null in a suffix list', ab({ suffix: ['a', null] }), 'prefix/suffix match pattern must be a string'],
    ['[LS:content_anything_prefix_empty_EXC] empty prefix', ab({ prefix: '' }), 'Null prefix/suffix not allowed'],
    ['[LS:content_anything_suffix_empty_EXC] empty suffix', ab({ suffix: '' }), 'Null prefix/suffix not allowed'],
    ['[ER-probe] empty string in a prefix list', ab({ prefix: ['a', ''] }), 'Null prefix/suffix not allowed'],
    ['[LS:content_anything_prefix_ignorecase_EXC] equals-ignore-case nested in prefix', ab({ prefix: { 'equals-ignore-case': 'a' } }), 'Value of anything-but must be an array or single string/number value.'],
    ['[LS:content_anything_suffix_ignorecase_EXC] equals-ignore-case nested in suffix', ab({ suffix: { 'equals-ignore-case': 'a' } }), 'Value of anything-but must be an array or single string/number value.'],
    ['[LS:content_anything_wildcard_type_EXC] number wildcard', ab({ wildcard: 5 }), 'wildcard match pattern must be a string'],
    ['[LS:content_anything_wildcard_list_type_EXC] number in a wildcard list', ab({ wildcard: ['a*', 5] }), 'wildcard match pattern must be a string'],
    ['[ER-probe] invalid escape inside anything-but wildcard', ab({ wildcard: 'a\\b' }), 'Invalid escape character at pos 1'],
    ['[choice] empty prefix list', ab({ prefix: [] }), 'Empty arrays are not allowed'],
    ['[choice] empty wildcard list', ab({ wildcard: [] }), 'Empty arrays are not allowed'],
    ['[choice] empty equals-ignore-case list', ab({ 'equals-ignore-case': [] }), 'Empty arrays are not allowed'],
    ['[ER-probe] two keys in the anything-but object', ab({ prefix: 'a', suffix: 'b' }), 'Only one key allowed in match expression'],
  ];
  it.each(invalid)('rejects %s', (_name, pattern, reason) => {
    expect(rejection(pattern)).toBe(reason);
  });
});
