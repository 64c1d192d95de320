import { compilePattern } from '../../../events/pattern';
import { matches, rejection, withDetail, type MatchCase, type RejectCase } from './helpers';

const wc = (operand: unknown): unknown => ({ detail: { f: [{ wildcard: operand }] } });

describe('wildcard (§1.10)', () => {
  const cases: MatchCase[] = [
    ['[LS:content_wildcard_nonrepeating] one star in the middle', wc('dir/*.png'), withDetail({ f: 'dir/a/b.png' }), true],
    ['[LS:content_wildcard_nonrepeating_NEG] anchored at the end', wc('dir/*.png'), withDetail({ f: 'dir/a.png.bak' }), false],
    ['[LS:content_wildcard_repeating] several stars', wc('arn:aws:s3:::*/*.csv'), withDetail({ f: 'arn:aws:s3:::bucket/k/x.csv' }), true],
    ['[LS:content_wildcard_repeating_NEG] several stars, anchored at the start', wc('arn:aws:s3:::*/*.csv'), withDetail({ f: 'x-arn:aws:s3:::bucket/x.csv' }), false],
    ['[LS:content_wildcard_simplified] a lone star matches any string', wc('*'), withDetail({ f: 'anything' }), true],
    ['[ER-probe] * matches zero characters: a*b matches ab', wc('a*b'), withDetail({ f: 'ab' }), true],
    ['[ER-probe] a*b does not match a', wc('a*b'), withDetail({ f: 'a' }), false],
    ['[ER-probe] overlapping segments need room: ab*ba does not match aba', wc('ab*ba'), withDetail({ f: 'aba' }), false],
    ['[ER-probe] overlapping segments: ab*ba matches abba', wc('ab*ba'), withDetail({ f: 'abba' }), true],
    ['[ER-probe] middle segments are found in order', wc('*a*b*c*'), withDetail({ f: 'xxcxbxaxbxc' }), true],
    ['[ER-probe] middle segments out of order', wc('*a*b*c*'), withDetail({ f: 'cba' }), false],
    ['[LS:content_wildcard_empty_NEG] empty wildcard matches only ""', wc(''), withDetail({ f: 'x' }), false],
    ['[ER-probe] empty wildcard matches ""', wc(''), withDetail({ f: '' }), true],
    ['[ER-probe] no star: exact equality', wc('abc'), withDetail({ f: 'abc' }), true],
    ['[ER-probe] strings only', wc('1*'), withDetail({ f: 12 }), false],
    ['[ER-probe] escaped star is literal', wc('a\\*b'), withDetail({ f: 'a*b' }), true],
    ['[ER-probe] escaped star does not match other characters', wc('a\\*b'), withDetail({ f: 'axb' }), false],
    ['[ER-probe] escaped backslash is literal', wc('a\\\\*'), withDetail({ f: 'a\\bc' }), true],
    ['[ER-probe] escaped backslash needs the backslash', wc('a\\\\*'), withDetail({ f: 'abc' }), false],
    ['[ER-probe] escaped star then wildcard is not consecutive', wc('\\**'), withDetail({ f: '*xyz' }), true],
    ['[LS:content_wildcard_complex] accepted ARN pattern', wc('arn:aws:events:us-east-1:*:event-bus/*'), withDetail({ f: 'arn:aws:events:us-east-1:1234:event-bus/default' }), true],
    ['[LS:content_wildcard_complex] accepted path pattern', wc('/Users/*/dir/dir/dir/dir/dir/doc.txt'), withDetail({ f: '/Users/me/dir/dir/dir/dir/dir/doc.txt' }), true],
  ];
  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });

  it('[ER-probe] escapes as written in JSON text', () => {
    const m = compilePattern('{"f":[{"wildcard":"a\\\\*b"}]}');
    expect(m('{"f":"a*b"}')).toBe(true);
    expect(m('{"f":"aXb"}')).toBe(false);
  });

  const tooComplex =
    'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';
  const invalid: RejectCase[] = [
    ['[LS:content_wildcard_int_EXC] number operand', wc(5), 'wildcard match pattern must be a string'],
    ['[LS:content_wildcard_list_EXC] list operand', wc(['a*']), 'wildcard match pattern must be a string'],
    ['[LS:content_wildcard_repeating_star_EXC] ** at pos 26', wc('arn:aws:events:us-east-1:**:event-bus/*'), 'Consecutive wildcard characters at pos 26'],
    ['[ER-probe] ** at the start', wc('**'), 'Consecutive wildcard characters at pos 1'],
    ['[ER-probe] backslash before another character', wc('a\\b'), 'Invalid escape character at pos 1'],
    ['[ER-probe] trailing backslash', wc('ab\\'), 'Invalid escape character at pos 2'],
    ['[LS:content_wildcard_complex_EXC] too complex', wc('*:*:*:*:*:event-bus/*'), tooComplex],
    ['[ER-probe] too complex inside anything-but', { f: [{ 'anything-but': { wildcard: '*:*:*:*:*:event-bus/*' } }] }, tooComplex],
  ];
  it.each(invalid)('rejects %s', (_name, pattern, reason) => {
    expect(rejection(pattern)).toBe(reason);
  });

  it('[ER-probe] a long hostile wildcard is rejected quickly rather than compiled', () => {
    expect(rejection(wc('*a'.repeat(200)))).toBe(tooComplex);
  });
});
