import { compilePattern, InvalidEventPatternError } from '../../../events/pattern';
import { envelope, matches, rejection, withDetail, type MatchCase, type RejectCase } from './helpers';

describe('pattern structure (§1.1)', () => {
  const cases: MatchCase[] = [
    ['[docs:eb-create-pattern] fields not in the pattern are ignored', { source: ['aws.ec2'] }, envelope, true],
    ['[docs:eb-create-pattern] fields are ANDed (one differs)', { source: ['aws.ec2'], region: ['eu-west-1'] }, envelope, false],
    ['[docs:eb-create-pattern] fields are ANDed (all match)', { source: ['aws.ec2'], region: ['us-west-1'] }, envelope, true],
    ['[docs] a pattern field missing from the event fails', { detail: { state: ['running'] } }, envelope, false],
    ['[LS:key_case_sensitive] same case matches', { detail: { my_key: ['v'] } }, withDetail({ my_key: 'v' }), true],
    ['[LS:key_case_sensitive_NEG] keys are case sensitive', { detail: { MY_KEY: ['v'] } }, withDetail({ my_key: 'v' }), false],
    ['[LS:dot_joining_event] dotted event key, nested pattern', { detail: { state: { status: ['running'] } } }, withDetail({ 'state.status': 'running' }), true],
    ['[LS:dot_joining_event_NEG] dotted event key, other value', { detail: { state: { status: ['running'] } } }, withDetail({ 'state.status': 'stopped' }), false],
    ['[LS:dot_joining_pattern] dotted pattern key, nested event', { detail: { 'state.status': ['running'] } }, withDetail({ state: { status: 'running' } }), true],
    ['[LS:dot_joining_pattern_NEG] object where a leaf is expected', { detail: { state: ['running'] } }, withDetail({ state: { status: 'running' } }), false],
    ['[LS:dot_joining_pattern] dotted across levels of the event', { 'detail.state.status': ['running'] }, { ...envelope, 'detail.state': { status: 'running' } }, true],
    [
      '[LS:large_payload_dotted_key] mixed dotted key and nested object',
      { detail: { 'payload.nested.another-level.deep': { 'inside-list': ['yes'] } } },
      withDetail({ payload: { 'nested.another-level': { deep: { 'inside-list': ['no', 'yes'] } } } }),
      true,
    ],
    [
      '[LS:large_payload_dotted_key] mixed keys, value absent',
      { detail: { 'payload.nested.another-level.deep': { 'inside-list': ['yes'] } } },
      withDetail({ payload: { nested: { 'another-level': { deep: { 'inside-list': ['no'] } } } } }),
      false,
    ],
    ['[LS:nested_json_NEG] a string holding JSON is not descended into', { detail: { a: ['b'] } }, { ...envelope, detail: '{"a":"b"}' }, false],
    ['[LS:nested_json] the parsed object is', { detail: { a: ['b'] } }, withDetail({ a: 'b' }), true],
    ['[docs] EventBusName inside the event is an ordinary field', { EventBusName: ['bus'] }, { ...envelope, EventBusName: 'bus' }, true],
    ['[docs] EventBusName inside the event, other value', { EventBusName: ['bus'] }, { ...envelope, EventBusName: 'other' }, false],
  ];
  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });

  it('[LS:test_event_pattern_with_multi_key] duplicate keys in pattern text: the last wins', () => {
    const m = compilePattern('{"source":["aws.s3"],"source":["aws.ec2"]}');
    expect(m(envelope)).toBe(true);
    expect(m({ ...envelope, source: 'aws.s3' })).toBe(false);
  });

  it('[ER-probe] the same path given nested and dotted: the later definition wins', () => {
    const m = compilePattern({ detail: { a: ['x'] }, 'detail.a': ['y'] });
    expect(m(withDetail({ a: 'y' }))).toBe(true);
    expect(m(withDetail({ a: 'x' }))).toBe(false);
  });

  it('[ER-probe] an event that is not a JSON object never matches', () => {
    const m = compilePattern({ a: [{ exists: false }] });
    expect(m('[1,2]')).toBe(false);
    expect(m(null)).toBe(false);
    expect(m([{ a: 1 }])).toBe(false);
    expect(m({})).toBe(true);
  });

  it('event text that is not JSON is a clear error', () => {
    expect(() => compilePattern({ a: [1] })('{not json')).toThrow(/Event is not valid JSON/);
  });

  const invalid: RejectCase[] = [
    ['[LS:test_invalid_json_event_pattern] top-level array', '[{"a":["b"]}]', 'Filter is not an object\n at [Source: (String)"[{"a":["b"]}]"; line: 1, column: 2]'],
    ['[LS:test_invalid_json_event_pattern] top-level array object', [{ a: ['b'] }], 'Filter is not an object'],
    ['[LS:test_invalid_json_event_pattern] a JSON string', '"source"', 'Filter is not an object\n at [Source: (String)""source""; line: 1, column: 2]'],
    ['[LS:test_invalid_json_event_pattern] a number', 5, 'Filter is not an object'],
    ['[ER-probe] empty text', '  ', 'Filter is not an object'],
    ['[ER-probe] JSON null', 'null', 'Filter is not an object\n at [Source: (String)"null"; line: 1, column: 2]'],
    ['[LS:string_nolist_EXC] bare string leaf', { source: 'aws.ec2' }, '"source" must be an object or an array'],
    ['[LS:int_nolist_EXC] bare number leaf', { detail: { n: 5 } }, '"n" must be an object or an array'],
    ['[ER-probe] bare null leaf', { detail: { n: null } }, '"n" must be an object or an array'],
    ['[ER-probe] bare boolean leaf', { n: true }, '"n" must be an object or an array'],
    ['[LS:arrays_empty_EXC] empty matcher list', { resources: [] }, 'Empty arrays are not allowed'],
    ['[ER-probe] empty top-level object', {}, 'Empty objects are not allowed'],
    ['[ER-probe] empty nested object', { detail: {} }, 'Empty objects are not allowed'],
    ['[ER-probe] nested array in a matcher list', { a: [['x']] }, 'Match value must be String, number, true, false, or null'],
    ['[LS:operator_case_sensitive_EXC] EXISTS', { a: [{ EXISTS: true }] }, 'Unrecognized match type EXISTS'],
    ['[LS:content_numeric_operatorcasing_EXC] NUMERIC', { a: [{ NUMERIC: ['<', 1] }] }, 'Unrecognized match type NUMERIC'],
  ];
  it.each(invalid)('rejects %s', (_name, pattern, reason) => {
    expect(rejection(pattern)).toBe(reason);
  });

  it('[LS:test_invalid_json_event_pattern] unparseable text is an InvalidEventPatternError', () => {
    expect(() => compilePattern('{"a": [')).toThrow(InvalidEventPatternError);
    expect(() => compilePattern('{"a": [')).toThrow(/^Event pattern is not valid\. Reason: /);
  });
});

describe('limits (§1.13)', () => {
  const longValue = (length: number): string => {
    const skeleton = JSON.stringify({ a: [''] });
    return 'x'.repeat(length - skeleton.length);
  };
  it('[API model] accepts a pattern of exactly 4096 characters', () => {
    const text = JSON.stringify({ a: [longValue(4096)] });
    expect(text).toHaveLength(4096);
    expect(rejection(text)).toBeUndefined();
    expect(rejection(JSON.parse(text))).toBeUndefined();
  });
  it('[API model] rejects a pattern of 4097 characters, as text or as an object', () => {
    const text = JSON.stringify({ a: [longValue(4097)] });
    const reason = 'Event pattern must be at most 4096 characters, got 4097';
    expect(rejection(text)).toBe(reason);
    expect(rejection(JSON.parse(text))).toBe(reason);
  });
});

describe('matcher objects in general (§1.12)', () => {
  const cases: MatchCase[] = [
    ['[LS:operator_multiple_list] mixed matchers are ORed (exists wins)', { detail: { k: [{ exists: true }, { prefix: 'IGNORED' }] } }, withDetail({ k: 'value' }), true],
    ['[LS:operator_multiple_list] mixed matchers are ORed (prefix wins)', { detail: { k: [{ exists: false }, { prefix: 'val' }] } }, withDetail({ k: 'value' }), true],
    ['[LS:operator_multiple_list] mixed matchers, none holds', { detail: { k: [{ exists: false }, { prefix: 'IGNORED' }] } }, withDetail({ k: 'value' }), false],
    ['[docs] literals and operators mix in one list', { detail: { k: ['a', { prefix: 'val' }, 7] } }, withDetail({ k: 7 }), true],
  ];
  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });

  const invalid: RejectCase[] = [
    ['[ER-probe] two keys in one matcher', { a: [{ prefix: 'a', suffix: 'b' }] }, 'Only one key allowed in match expression'],
    ['[ER-probe] the first key is validated before the key count', { a: [{ prefix: 1, suffix: 'b' }] }, 'prefix match pattern must be a string'],
    ['[ER-probe] unknown operator contains', { a: [{ contains: 'x' }] }, 'Unrecognized match type contains'],
    ['[ER-probe] empty matcher object', { a: [{}] }, 'Empty objects are not allowed'],
  ];
  it.each(invalid)('rejects %s', (_name, pattern, reason) => {
    expect(rejection(pattern)).toBe(reason);
  });
});

describe('keys that are special in JavaScript', () => {
  it('[docs] __proto__ and constructor are ordinary keys', () => {
    expect(compilePattern('{"__proto__":["x"]}')('{"__proto__":"x"}')).toBe(true);
    expect(compilePattern('{"__proto__":[{"exists":true}]}')({ a: 1 })).toBe(false);
    expect(compilePattern({ constructor: [{ exists: false }] })({ a: 1 })).toBe(true);
    expect(compilePattern({ toString: [{ exists: true }] })({ a: 1 })).toBe(false);
    expect(compilePattern({ constructor: ['c'] })({ constructor: 'c' })).toBe(true);
  });
  it('[docs] empty and dotted-edge keys', () => {
    expect(matches({ '': [1] }, { '': 1 })).toBe(true);
    expect(matches({ a: { '': [1] } }, { 'a.': 1 })).toBe(true);
    expect(matches({ a: { b: [1] } }, { 'a.': { b: 1 } })).toBe(false);
  });
});
