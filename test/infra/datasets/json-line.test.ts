import { lineOfJsonPath, lineOfJsonSyntaxError } from '../../../infra/datasets/json-line';

const TEXT = '{\n  "name": "t",\n  "refine": {\n    "name": "x",\n    "sql": "refine.sql"\n  },\n  "list": [\n    { "sql": 1 }\n  ]\n}\n';

describe('lineOfJsonPath', () => {
  it('follows the path through nested keys, so a repeated key name resolves to the right one', () => {
    expect(lineOfJsonPath(TEXT, ['name'])).toBe(2);
    expect(lineOfJsonPath(TEXT, ['refine', 'name'])).toBe(4);
    expect(lineOfJsonPath(TEXT, ['refine', 'sql'])).toBe(5);
  });

  it('skips array indexes (the nearest key after them) and stops at the last key it finds', () => {
    expect(lineOfJsonPath(TEXT, ['list', 0, 'sql'])).toBe(8);
    expect(lineOfJsonPath(TEXT, ['refine', 'nosuch'])).toBe(3);
    expect(lineOfJsonPath(TEXT, ['nosuch'])).toBeUndefined();
    expect(lineOfJsonPath(TEXT, [])).toBeUndefined();
  });
});

describe('lineOfJsonSyntaxError', () => {
  it("reads the line from either way Node words a JSON.parse error, and the text's own parse error", () => {
    expect(lineOfJsonSyntaxError(TEXT, new SyntaxError('Expected property name or \'}\' in JSON at position 20 (line 3 column 5)'))).toBe(3);
    expect(lineOfJsonSyntaxError(TEXT, new SyntaxError('Unexpected token } in JSON at position 20'))).toBe(3);
    expect(lineOfJsonSyntaxError(TEXT, new SyntaxError('Unexpected end of JSON input'))).toBeUndefined();
    const broken = '{\n  "a": 1,\n}';
    const err: unknown = (() => {
      try {
        return JSON.parse(broken);
      } catch (e) {
        return e;
      }
    })();
    expect(lineOfJsonSyntaxError(broken, err)).toBe(3);
  });
});
