import { validateObjectKey } from '../../../../infra/local/lake-paths';
import { originalKeyOf, quarantineKeyOf } from '../../../../infra/emulators/object-store/quarantine-key';

describe('quarantineKeyOf', () => {
  it.each([
    ['traffic/bad\u0001name.jsonl', 'traffic/bad%01name.jsonl'],
    ['d/tab\tand\nnewline 100%.csv', 'd/tab%09and%0Anewline 100%25.csv'],
    ['C:/back\\slash\u007f.csv', 'C%3A/back%5Cslash%7F.csv'],
    ['d/c1\u0085control\u009f.csv', 'd/c1%85control%9F.csv'],
  ])('gives %j the valid key %j, and the name back', (key, safe) => {
    expect(quarantineKeyOf(key)).toBe(safe);
    expect(validateObjectKey(safe)).toBe(safe);
    expect(originalKeyOf(safe)).toBe(key);
  });

  it('hashes a name still invalid once escaped', () => {
    expect(quarantineKeyOf(`d/${'\u0001'.repeat(400)}`)).toMatch(/^invalid-names\/[0-9a-f]{64}$/);
  });
});
