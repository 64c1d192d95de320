import { bindSql, SqlBindError, sqlLiteral } from '../../../handlers/sql/bind-sql';

describe('bindSql', () => {
  it('quotes strings, escapes single quotes and renders lists for IN', () => {
    expect(bindSql('SELECT * FROM t WHERE a = :a AND b IN (:b) AND c > :c', { a: "O'Brien", b: ['x', 'y'], c: 3 }))
      .toBe("SELECT * FROM t WHERE a = 'O''Brien' AND b IN ('x', 'y') AND c > 3");
  });

  it('leaves colons in literals, quoted identifiers, comments and casts alone', () => {
    const sql = "SELECT date_format(ts, '%H:%i') AS \":x\", v::int -- :y\nFROM t /* :z */ WHERE k = :k";
    expect(bindSql(sql, { k: 'a' })).toBe("SELECT date_format(ts, '%H:%i') AS \":x\", v::int -- :y\nFROM t /* :z */ WHERE k = 'a'");
  });

  it('fails on a missing value, an unused value, an empty list and a non-finite number', () => {
    expect(() => bindSql('SELECT :a', {})).toThrow(new SqlBindError('no value for placeholder :a'));
    expect(() => bindSql('SELECT 1', { a: 1 })).toThrow('values given for no placeholder: :a');
    expect(() => sqlLiteral([])).toThrow('empty list');
    expect(() => sqlLiteral(Number.NaN)).toThrow('non-finite');
  });

  it('renders null and booleans as SQL keywords', () => {
    expect(bindSql('SELECT :a, :b, :c', { a: null, b: true, c: false })).toBe('SELECT NULL, TRUE, FALSE');
  });
});
