import { originOf, translateSql } from '../../../../infra/emulators/query/translate-sql';

describe('translateSql', () => {
  it('renames Trino functions to their shims but never inside strings, quoted identifiers or comments', () => {
    const { sql } = translateSql(`SELECT date_parse(s, '%Y %i'), 'date_add(x)', "split"(1) -- regexp_like(
FROM t`);
    expect(sql).toBe(`SELECT trino_date_parse(s, '%Y %M'), 'date_add(x)', "split"(1) -- regexp_like(
FROM t`);
  });

  it('leaves FILTER (WHERE …) after an aggregate and qualified names alone', () => {
    expect(translateSql('SELECT count(*) FILTER (WHERE x > 1), s.split(1) FROM t').sql).toBe('SELECT count(*) FILTER (WHERE x > 1), s.split(1) FROM t');
    expect(translateSql('SELECT filter(a, x -> x > 1) FROM t').sql).toBe('SELECT list_filter(a, x -> x > 1) FROM t');
  });

  it('converts literal formats of date_parse, date_format and format_datetime only in the format position', () => {
    expect(translateSql("SELECT date_format(ts, '%M %e %i'), date_parse('%i', '%i')").sql).toBe("SELECT trino_date_format(ts, '%B %-d %M'), trino_date_parse('%i', '%M')");
    expect(translateSql("SELECT format_datetime(ts, 'yyyy-MM-dd''T''HH:mm')").sql).toBe("SELECT trino_format_datetime(ts, '%Y-%m-%dT%H:%M')");
  });

  it('rounds before casts to integer types only', () => {
    expect(translateSql('SELECT CAST(x AS integer), CAST(y AS double), try_cast(CAST(z AS double) AS bigint)').sql)
      .toBe('SELECT CAST(trino_cast_round(x ) AS integer), CAST(y AS double), try_cast(trino_cast_round(CAST(z AS double) ) AS bigint)');
  });

  it('turns try of one cast or ISO parse into the NULL-returning form, and leaves other try calls alone', () => {
    expect(translateSql("SELECT try(from_iso8601_timestamp(s)), TRY ( cast(x AS double) ), try(from_iso8601_date(d))").sql)
      .toBe('SELECT trino_try_from_iso8601_timestamp(s),   TRY_CAST(x AS double) , trino_try_from_iso8601_date(d)');
    expect(translateSql('SELECT try(from_iso8601_timestamp(s) + x), try(length(s)), t.try(cast(x AS double))').sql)
      .toBe('SELECT try(trino_from_iso8601_timestamp(s) + x), try(length(s)), t.try(cast(x AS double))');
  });

  it('spells Trino types in casts the DuckDB way', () => {
    expect(translateSql("SELECT CAST(x AS array(row(a integer, b varchar(3)))), CAST(y AS map(varchar, real)), CAST(z AS timestamp(3) with time zone), CAST(w AS varchar)").sql)
      .toBe('SELECT CAST(x AS STRUCT(a integer, b VARCHAR)[]), CAST(y AS MAP(varchar, FLOAT)), CAST(z AS TIMESTAMPTZ), CAST(w AS varchar)');
  });

  it('rewrites reduce to list_reduce with the output function applied', () => {
    expect(translateSql('SELECT reduce(ARRAY[1, 2], 0, (s, x) -> s + x, s -> s * 2)').sql)
      .toBe('SELECT list_transform([list_reduce(ARRAY[1, 2], (s, x) -> s + x, 0)], s -> s * 2)[1]');
  });

  it('binds execution parameters in order and rejects a count mismatch', () => {
    expect(translateSql("SELECT * FROM t WHERE a = ? AND b = '?' AND c = ?", ["'x'", '2']).sql).toBe("SELECT * FROM t WHERE a = 'x' AND b = '?' AND c = 2");
    expect(() => translateSql('SELECT ?', [])).toThrow(/Incorrect number of parameters/);
    expect(() => translateSql('SELECT 1', ['1'])).toThrow(/Incorrect number of parameters/);
  });

  it('points information_schema at the catalog-backed views', () => {
    expect(translateSql('SELECT * FROM information_schema.tables').sql).toBe('SELECT * FROM "__athena_meta".tables');
  });

  it('maps translated offsets back to the original text', () => {
    const translated = translateSql('SELECT dow(d), x FROM t');
    expect(originOf(translated, translated.sql.indexOf('x FROM'))).toBe('SELECT dow(d), x FROM t'.indexOf('x FROM'));
  });
});
