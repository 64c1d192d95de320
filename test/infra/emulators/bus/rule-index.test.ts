import type { EventEnvelope } from '../../../../contracts/envelope';
import { patternIndexKeys } from '../../../../events/pattern';
import { RuleIndex, type IndexableRule } from '../../../../infra/emulators/bus/rule-index';

function event(source: string, detailType: string): EventEnvelope {
  return { version: '0', id: '1', 'detail-type': detailType, source, account: '000000000000', time: '2025-01-01T00:00:00Z', region: 'us-east-1', resources: [], detail: {} };
}

describe('RuleIndex', () => {
  it('tests only the rules an event could match, and still finds every match', () => {
    let tested = 0;
    const rule = (name: string, pattern: object, verdict: (e: EventEnvelope) => boolean): IndexableRule & { name: string } => ({
      name,
      eventBusName: 'tributary',
      indexKeys: patternIndexKeys(pattern),
      matches: (e) => {
        tested += 1;
        return verdict(e);
      },
    });
    const rules = [
      ...Array.from({ length: 500 }, (_, i) => rule(`s${i}`, { source: [`src-${i}`] }, (e) => e.source === `src-${i}`)),
      rule('or', { $or: [{ source: ['src-7'] }, { source: ['other'] }] }, (e) => e.source === 'src-7' || e.source === 'other'),
      rule('dt', { 'detail-type': ['Thing Happened'] }, (e) => e['detail-type'] === 'Thing Happened'),
      rule('prefix', { source: [{ prefix: 'src-' }] }, (e) => e.source.startsWith('src-')),
      rule('elsewhere', { source: ['src-7'] }, () => true),
    ];
    const last = rules[rules.length - 1];
    if (last !== undefined) Object.assign(last, { eventBusName: 'default' });
    const index = new RuleIndex(rules);
    const matched = index.match('tributary', event('src-7', 'Thing Happened')).map((r) => r.name);
    expect(matched.sort()).toEqual(['dt', 'or', 'prefix', 's7']);
    expect(tested).toBe(4);
    expect(index.match('nowhere', event('src-7', 'x'))).toEqual([]);
  });
});
