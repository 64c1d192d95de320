import { AthenaErrorName, QueryEngineError } from '../../../../infra/emulators/query/athena-query-error';
import { athenaErrorFromDuckDb } from '../../../../infra/emulators/query/duckdb-error';
import { translateSql } from '../../../../infra/emulators/query/translate-sql';

/** A DuckDB binder error as its binding words it, pointing at `shown` on translated line `line`. */
const binderError = (line: number, shown: string, caret: number): Error =>
  new Error(`Binder Error: Referenced column "nosuch" not found in FROM clause!\nCandidate bindings: "a"\n\nLINE ${line}: ${shown}\n${' '.repeat(`LINE ${line}: `.length + caret)}^`);

describe('athenaErrorFromDuckDb', () => {
  it('classifies what is wrong with the query as Athena does: USER category (2), not retryable', () => {
    const sql = 'SELECT a,\n  nosuch\nFROM t';
    const err = athenaErrorFromDuckDb(binderError(2, '  nosuch', 2), sql, translateSql(sql), 'db');
    expect(err.message).toBe("COLUMN_NOT_FOUND: line 2:3: Column 'nosuch' cannot be resolved");
    expect(err.toAthenaError()).toMatchObject({ ErrorCategory: 2, Retryable: false });
    for (const message of ['Parser Error: syntax error at or near "FORM"', 'Catalog Error: Scalar Function with name nosuch does not exist!', 'Conversion Error: Could not convert string', 'Binder Error: No function matches the given name']) {
      expect(athenaErrorFromDuckDb(new Error(message), 'SELECT 1', translateSql('SELECT 1'), 'db').toAthenaError()).toMatchObject({ ErrorCategory: 2, Retryable: false });
    }
  });

  it('classifies failures of the engine itself as SYSTEM (1), retryable', () => {
    for (const message of ['IO Error: Cannot open file', 'Out of Memory Error: could not allocate', 'INTERRUPT Error: Interrupted!']) {
      expect(athenaErrorFromDuckDb(new Error(message), 'SELECT 1', translateSql('SELECT 1'), 'db').toAthenaError()).toMatchObject({ ErrorCategory: 1, Retryable: true });
    }
  });

  it("classifies the engine's own non-retryable refusals as USER (2), its retryable ones as SYSTEM (1)", () => {
    expect(athenaErrorFromDuckDb(new QueryEngineError('unsupported Glue type', false), 'SELECT 1', translateSql('SELECT 1'), 'db')).toMatchObject({ kind: AthenaErrorName.NotSupported });
    expect(athenaErrorFromDuckDb(new QueryEngineError('disk busy', true), 'SELECT 1', translateSql('SELECT 1'), 'db')).toMatchObject({ kind: AthenaErrorName.InternalError });
  });

  it('points into the whole statement when only part of it was translated (the query of an UNLOAD), comments included', () => {
    const query = 'SELECT a,\n  nosuch\nFROM t';
    const original = `UNLOAD (-- header\n-- more\n${query}\n) TO 's3://b/p/' WITH (format = 'PARQUET')`;
    const translated = translateSql(query);
    expect(athenaErrorFromDuckDb(binderError(2, '  nosuch', 2), original, translated, 'db', query).message).toBe("COLUMN_NOT_FOUND: line 4:3: Column 'nosuch' cannot be resolved");
  });
});

describe('athenaErrorFromDuckDb: a database not catalogued yet', () => {
  it('is SCHEMA_NOT_FOUND, as Athena names it, so a stage can tell it from a mistake in the SQL', () => {
    const err = athenaErrorFromDuckDb(new Error('Catalog Error: SET search_path: No catalog + schema named "awsdatacatalog.tributary_refined" found.'), 'SELECT 1', translateSql('SELECT 1'), 'tributary_refined');
    expect(err.message).toBe("SCHEMA_NOT_FOUND: Schema 'tributary_refined' does not exist");
  });
});
