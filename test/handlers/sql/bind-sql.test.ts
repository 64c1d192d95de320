import { ConfigurationError } from '../../../contracts/configuration-error';
import { PipelineError } from '../../../contracts/pipeline-error';
import { bindSql, bindStatement, lineAt, SqlBindError, sqlLiteral } from '../../../handlers/sql/bind-sql';

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
    expect(() => bindSql('SELECT :a', {})).toThrow(new SqlBindError('no value for placeholder :a (the stage binds none)'));
    expect(() => bindSql('SELECT 1', { a: 1 })).toThrow('values given for no placeholder: :a');
    expect(() => sqlLiteral([])).toThrow('empty list');
    expect(() => sqlLiteral(Number.NaN)).toThrow('non-finite');
  });

  it('renders null and booleans as SQL keywords', () => {
    expect(bindSql('SELECT :a, :b, :c', { a: null, b: true, c: false })).toBe('SELECT NULL, TRUE, FALSE');
  });
});

describe('bindStatement', () => {
  const file = 'sql/demo/refine.sql';

  it('drops a trailing semicolon but keeps the lines before the statement, so lines match the file', () => {
    expect(bindStatement({ file, sql: '\n-- header\nSELECT :a;\n' }, { a: 1 })).toBe('\n-- header\nSELECT 1');
  });

  it('fails an unbound placeholder as a ConfigurationError naming the file and its line, never retryable', () => {
    const err = errorOf(() => bindStatement({ file, sql: '-- header\nSELECT *\nFROM t\nWHERE a = :windw_start' }, { window_start: 1 }));
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err).toBeInstanceOf(PipelineError);
    expect(err).toMatchObject({ file, line: 4, retryable: false, message: 'sql/demo/refine.sql line 4: no value for placeholder :windw_start (the stage binds :window_start)' });
  });

  it('fails a value the SQL has no placeholder for as a ConfigurationError naming the file', () => {
    expect(errorOf(() => bindStatement({ file, sql: 'SELECT 1' }, { a: 1 }))).toMatchObject({ file, line: undefined, message: 'sql/demo/refine.sql: values given for no placeholder: :a' });
  });

  it('leaves a value SQL cannot hold a (non-retryable) SqlBindError: the value is at fault, not the file', () => {
    const err = errorOf(() => bindStatement({ file, sql: 'SELECT * FROM t WHERE k IN (:keys)' }, { keys: [] }));
    expect(err).toBeInstanceOf(SqlBindError);
    expect(err).not.toBeInstanceOf(ConfigurationError);
    expect(err).toMatchObject({ retryable: false });
  });
});

describe('lineAt', () => {
  it('counts 1-based lines up to an offset', () => {
    expect(lineAt('a\nb\nc', 0)).toBe(1);
    expect(lineAt('a\nb\nc', 2)).toBe(2);
    expect(lineAt('a\nb\nc', 4)).toBe(3);
  });
});

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}
