import { compilePattern } from '../../../events/pattern';
import { envelope, rejection } from './helpers';

/** Matches event JSON text (as the bus receives it) against pattern JSON text. */
function matchesText(pattern: string, detail: string): boolean {
  const event = `{${JSON.stringify(envelope).slice(1, -1)},"detail":${detail}}`;
  return compilePattern(pattern)(event);
}

describe('numbers beyond double precision (event-ruler ComparableNumber)', () => {
  const cases: Array<[string, string, string, boolean]> = [
    ['2^53+1 does not match 2^53', '{"detail":{"n":[9007199254740993]}}', '{"n":9007199254740992}', false],
    ['2^53 does not match 2^53+1', '{"detail":{"n":[9007199254740992]}}', '{"n":9007199254740993}', false],
    ['2^53+1 matches itself by its text', '{"detail":{"n":[9007199254740993]}}', '{"n":9007199254740993}', true],
    ['an exact double matches any spelling of its value', '{"detail":{"n":[300]}}', '{"n":3.0e2}', true],
    ['a decimal longer than a double keeps is not rounded to match', '{"detail":{"n":[0.1]}}', '{"n":0.10000000000000000001}', false],
    ['an uncomparable event number is not in a numeric range', '{"detail":{"n":[{"numeric":[">",0]}]}}', '{"n":9007199254740993}', false],
    ['an uncomparable event number passes a numeric anything-but', '{"detail":{"n":[{"anything-but":[1]}]}}', '{"n":9007199254740993}', true],
    ['an uncomparable number is a present leaf for exists', '{"detail":{"n":[{"exists":true}]}}', '{"n":123456789012345678901234567890}', true],
    ['an uncomparable number has no members', '{"detail":{"n":{"digits":[{"exists":true}]}}}', '{"n":123456789012345678901234567890}', false],
    ['a large id string is still a string', '{"detail":{"n":["9007199254740993"]}}', '{"n":9007199254740993}', false],
  ];
  it.each(cases)('%s', (_name, pattern, detail, expected) => {
    expect(matchesText(pattern, detail)).toBe(expected);
  });

  it('rejects a numeric bound or anything-but number no double holds, as event-ruler does', () => {
    expect(rejection('{"n":[{"numeric":[">",9007199254740993]}]}')).toBe('Cannot compare number : 9007199254740993');
    expect(rejection('{"n":[{"anything-but":[1e400]}]}')).toBe('Cannot compare number : 1e400');
    expect(rejection('{"n":[{"anything-but":9007199254740993}]}')).toBe('Cannot compare number : 9007199254740993');
  });
});

describe('JSON syntax errors in patterns read as EventBridge reports them (Jackson)', () => {
  const cases: Array<[string, string]> = [
    // The first three are AWS-recorded (TestEventPattern, test_invalid_json_event_pattern).
    ['this is valid json but not a dict', "Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)\"this is valid json but not a dict\"; line: 1, column: 5]"],
    ["{'bad': 'quotation'}", "Unexpected character (''' (code 39)): was expecting double-quote to start field name\n at [Source: (String)\"{'bad': 'quotation'}\"; line: 1, column: 2]"],
    ['{"not": closed mark"', "Unrecognized token 'closed': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)\"{\"not\": closed mark\"\"; line: 1, column: 15]"],
    ['["not", "a", "dict", "but valid json"]', 'Filter is not an object\n at [Source: (String)"["not", "a", "dict", "but valid json"]"; line: 1, column: 2]'],
    ['{"a" ["b"]}', 'Unexpected character (\'[\' (code 91)): was expecting a colon to separate field name and value\n at [Source: (String)"{"a" ["b"]}"; line: 1, column: 6]'],
    ['{"a": ["b" "c"]}', 'Unexpected character (\'"\' (code 34)): was expecting comma to separate Array entries\n at [Source: (String)"{"a": ["b" "c"]}"; line: 1, column: 12]'],
  ];
  it.each(cases)('%s', (pattern, reason) => {
    expect(rejection(pattern)).toBe(reason);
  });

  it('cuts the quoted source at 500 characters, as Jackson does', () => {
    const pattern = `{"a": ["${'x'.repeat(600)}"`;
    expect(rejection(pattern)).toMatch(/\[truncated 109 chars\]; line: 1, column: 610\]$/);
  });
});
