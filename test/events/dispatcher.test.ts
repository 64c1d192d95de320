import { RuleDispatcher } from '../../events/dispatcher';
import { compilePattern, InvalidEventPatternError } from '../../events/pattern';

const rules = [
  { name: 'exact', pattern: { source: ['a'], 'detail-type': ['T1'] } },
  { name: 'source-only', pattern: { source: ['a'] } },
  { name: 'two-sources', pattern: { source: ['a', 'b'], detail: { n: [{ numeric: ['>', 5] }] } } },
  { name: 'type-only', pattern: { 'detail-type': ['T2'] } },
  { name: 'prefix-source', pattern: { source: [{ prefix: 'a' }] } },
  { name: 'no-source-key', pattern: { detail: { n: [{ exists: true }] } } },
  { name: 'or-top', pattern: { $or: [{ source: ['c'] }, { 'detail-type': ['T3'] }] } },
  { name: 'absent-source', pattern: { source: [{ exists: false }] } },
];

describe('RuleDispatcher', () => {
  const dispatcher = new RuleDispatcher(rules);
  const brute = rules.map((r) => ({ name: r.name, match: compilePattern(r.pattern) }));

  it('returns exactly the rules a test of every pattern returns, in table order', () => {
    const sources = ['a', 'b', 'c', 'ab', undefined, 7];
    const types = ['T1', 'T2', 'T3', undefined];
    const details = [{}, { n: 3 }, { n: 9 }, { n: [1, 10] }];
    let checked = 0;
    for (const source of sources) for (const detailType of types) for (const detail of details) {
      const event: Record<string, unknown> = { detail };
      if (source !== undefined) event['source'] = source;
      if (detailType !== undefined) event['detail-type'] = detailType;
      const expected = brute.filter((b) => b.match(event)).map((b) => b.name);
      expect(dispatcher.match(event).map((r) => r.name)).toEqual(expected);
      expect(dispatcher.match(JSON.stringify(event)).map((r) => r.name)).toEqual(expected);
      checked++;
    }
    expect(checked).toBe(96);
  });

  it('rejects an invalid pattern when the table is built, naming the reason', () => {
    expect(() => new RuleDispatcher([{ pattern: { source: 'a' } }])).toThrow(InvalidEventPatternError);
  });
});
