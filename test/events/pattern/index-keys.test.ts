import { compilePattern, InvalidEventPatternError, patternIndexKeys } from '../../../events/pattern';

describe('patternIndexKeys', () => {
  it('returns the exact source and detail-type strings a pattern requires', () => {
    expect(patternIndexKeys({ source: ['a', 'b'], 'detail-type': ['T'], detail: { x: [1] } })).toEqual({
      sources: ['a', 'b'],
      detailTypes: ['T'],
    });
  });
  it('accepts JSON text', () => {
    expect(patternIndexKeys('{"source":["a"]}')).toEqual({ sources: ['a'] });
  });
  it('leaves a field out when it is not constrained', () => {
    expect(patternIndexKeys({ detail: { x: [1] } })).toEqual({});
  });
  it('leaves a field out when any matcher is not an exact string', () => {
    expect(patternIndexKeys({ source: ['a', { prefix: 'b' }], 'detail-type': ['T', null] })).toEqual({});
    expect(patternIndexKeys({ source: [{ 'anything-but': 'a' }] })).toEqual({});
    expect(patternIndexKeys({ source: [{ exists: true }] })).toEqual({});
    expect(patternIndexKeys({ source: [1] })).toEqual({});
  });
  it('takes the union over $or branches when every branch pins the field', () => {
    expect(patternIndexKeys({ $or: [{ source: ['a'] }, { source: ['b'], 'detail-type': ['T'] }] })).toEqual({
      sources: ['a', 'b'],
    });
  });
  it('leaves a field out when some $or branch does not pin it', () => {
    expect(patternIndexKeys({ $or: [{ source: ['a'] }, { region: ['r'] }] })).toEqual({});
  });
  it('does not treat nested source fields as the top-level source', () => {
    expect(patternIndexKeys({ detail: { source: ['a'] } })).toEqual({});
  });
  it('honours a dotted top-level spelling only for the exact path', () => {
    expect(patternIndexKeys({ 'source.x': ['a'] })).toEqual({});
  });
  it('throws InvalidEventPatternError for an invalid pattern', () => {
    expect(() => patternIndexKeys({ source: 'a' })).toThrow(InvalidEventPatternError);
  });

  it('never excludes an event that the compiled pattern matches', () => {
    const patterns: unknown[] = [
      { source: ['a', 'b'], 'detail-type': ['T'] },
      { $or: [{ source: ['a'] }, { source: ['c'], 'detail-type': ['U'] }] },
      { source: ['a'], $or: [{ 'detail-type': ['T'] }, { 'detail-type': ['U'] }] },
      { 'detail-type': ['T', 'U'], detail: { n: [{ numeric: ['>', 0] }] } },
    ];
    const values = ['a', 'b', 'c', 'T', 'U'];
    for (const pattern of patterns) {
      const matcher = compilePattern(pattern);
      const keys = patternIndexKeys(pattern);
      for (const source of values) {
        for (const detailType of values) {
          const event = { source, 'detail-type': detailType, detail: { n: 1 } };
          if (!matcher(event)) continue;
          if (keys.sources) expect(keys.sources).toContain(source);
          if (keys.detailTypes) expect(keys.detailTypes).toContain(detailType);
        }
      }
    }
  });
});
