import { SqlTokenizeError, tokenize, TokenKind } from '../../../../infra/emulators/query/sql-tokenizer';

describe('tokenize', () => {
  it('round-trips the text exactly and keeps literals, quoted names and comments whole', () => {
    const sql = `SELECT 'it''s', "a""b", 1.5e3 /* c ; */ -- d\nFROM t;`;
    const tokens = tokenize(sql);
    expect(tokens.map((t) => t.text).join('')).toBe(sql);
    expect(tokens.filter((t) => t.kind === TokenKind.String).map((t) => t.text)).toEqual(["'it''s'"]);
    expect(tokens.filter((t) => t.kind === TokenKind.QuotedIdentifier).map((t) => t.text)).toEqual(['"a""b"']);
    expect(tokens.filter((t) => t.kind === TokenKind.Number).map((t) => t.text)).toEqual(['1.5e3']);
    expect(tokens.filter((t) => t.text === ';')).toHaveLength(1);
  });

  it.each([["SELECT 'x"], ['SELECT "x'], ['SELECT /* x']])('rejects unterminated %s', (sql) => {
    expect(() => tokenize(sql)).toThrow(SqlTokenizeError);
  });
});
