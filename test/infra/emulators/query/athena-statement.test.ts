import { parseStatement } from '../../../../infra/emulators/query/athena-statement';

describe('parseStatement', () => {
  it('parses UNLOAD with its WITH properties', () => {
    expect(parseStatement("UNLOAD (SELECT a, (b) FROM t) TO 's3://tributary-forecast/x/' WITH (format = 'PARQUET', partitioned_by = ARRAY['dt', 'h'])")).toEqual({
      kind: 'unload', query: 'SELECT a, (b) FROM t', location: 's3://tributary-forecast/x/', properties: { format: 'PARQUET', partitioned_by: ['dt', 'h'] },
    });
  });

  it('parses CTAS, WITH NO DATA and a parenthesised query', () => {
    expect(parseStatement("CREATE TABLE IF NOT EXISTS db.t WITH (external_location = 's3://tributary-refined/t/') AS (SELECT 1 AS a) WITH NO DATA")).toMatchObject({
      kind: 'ctas', target: { database: 'db', table: 't' }, ifNotExists: true, query: 'SELECT 1 AS a', withData: false,
    });
  });

  it('parses INSERT with and without a column list, folding name case', () => {
    expect(parseStatement('INSERT INTO Db.T (a, "B") SELECT 1, 2')).toEqual({ kind: 'insert', target: { database: 'db', table: 't' }, columns: ['a', 'B'], query: 'SELECT 1, 2' });
    expect(parseStatement('INSERT INTO t (SELECT 1)')).toMatchObject({ kind: 'insert', columns: undefined, query: '(SELECT 1)' });
  });

  it('rejects several statements and unknown verbs with Athena-worded errors', () => {
    expect(() => parseStatement('SELECT 1; SELECT 2')).toThrow(/^SYNTAX_ERROR: multiple statements/);
    expect(() => parseStatement('SELEC 1')).toThrow(/^SYNTAX_ERROR: line 1:1: mismatched input 'SELEC'/);
    expect(() => parseStatement('ALTER TABLE t ADD PARTITION (dt = 1)')).toThrow(/^NOT_SUPPORTED/);
  });
});
