import { ConfigurationError } from '../../../contracts/configuration-error';
import { ErrorClass } from '../../../contracts/domain-events';
import type { Dataset } from '../../../handlers/ports/dataset-store';
import type { AthenaError, QueryExecution } from '../../../handlers/ports/query-engine';
import { bindDatasetStatement, queryFailedError, sqlOf } from '../../../handlers/stage-kit/dataset-sql';
import { windowParams } from '../../../handlers/stage-kit/refine-plan';
import type { LakeTopology } from '../../../handlers/stage-deps';
import { FolderDatasetStore } from '../../../infra/datasets/folder-dataset-store';
import { classifyError, DependencyError } from '../../../handlers/stage-kit/stage-error';

const source = { file: 'sql/demo/refine.sql', sql: '-- header\nSELECT a,\n  nosuch\nFROM t;\n' };

/** A FAILED (or other terminal) execution with an AthenaError of `category`. */
function failed(message: string, category?: number, state: QueryExecution['Status']['State'] = 'FAILED'): QueryExecution {
  const athenaError: AthenaError | undefined = category === undefined ? undefined : { ErrorCategory: category, ErrorType: 0, Retryable: category !== 2, ErrorMessage: message };
  return {
    QueryExecutionId: 'q-1',
    Query: 'UNLOAD (…)',
    StatementType: 'DML',
    WorkGroup: 'primary',
    QueryExecutionContext: {},
    Status: { State: state, StateChangeReason: message, SubmissionDateTime: new Date(0), ...(athenaError ? { AthenaError: athenaError } : {}) },
    Statistics: {},
  };
}

describe('queryFailedError', () => {
  it("turns a USER-category failure (2) into a non-retryable configuration error naming the file and the engine's line", () => {
    const err = queryFailedError(failed("COLUMN_NOT_FOUND: line 3:3: Column 'nosuch' cannot be resolved", 2), source, 'refine query q-1', { retryable: true });
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err.message).toBe("sql/demo/refine.sql line 3: refine query q-1 FAILED: COLUMN_NOT_FOUND: line 3:3: Column 'nosuch' cannot be resolved");
    expect(classifyError(err)).toMatchObject({ errorClass: ErrorClass.Configuration, errorName: 'ConfigurationError', retryable: false });
  });

  it('names the file without a line when the engine points past it (into the statement the stage wraps around it)', () => {
    const err = queryFailedError(failed("COLUMN_NOT_FOUND: line 9:1: Column 'source_object' cannot be resolved", 2), source, 'rejects query', { retryable: true });
    expect(err).toMatchObject({ file: 'sql/demo/refine.sql', line: undefined });
    expect(err.message).toMatch(/the line is in the statement the stage wraps around this file/);
  });

  it('leaves a SYSTEM failure (1), a cancel and a failure without AthenaError to the dependency class, with the caller\'s retryable', () => {
    for (const execution of [failed('GENERIC_INTERNAL_ERROR: boom', 1), failed('cancelled', undefined, 'CANCELLED'), failed('no reason')]) {
      const err = queryFailedError(execution, source, 'rejects query', { retryable: true });
      expect(err).toBeInstanceOf(DependencyError);
      expect(classifyError(err)).toMatchObject({ errorClass: ErrorClass.Dependency, retryable: true });
      expect(err.message).toContain('(sql/demo/refine.sql)');
    }
    expect(queryFailedError(failed('GENERIC_INTERNAL_ERROR: boom', 1), source, 'refine query', { retryable: false }).retryable).toBe(false);
  });

  it('with catalogMayLag, retries a table not found (the crawl that creates it may be running) but not a column not found', () => {
    const table = failed("TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.tributary_refined.traffic' does not exist", 2);
    expect(queryFailedError(table, source, 'view v', { retryable: true, catalogMayLag: true })).toBeInstanceOf(DependencyError);
    expect(queryFailedError(table, source, 'refine query', { retryable: true })).toBeInstanceOf(ConfigurationError);
    expect(queryFailedError(failed("COLUMN_NOT_FOUND: line 2:1: Column 'x' cannot be resolved", 2), source, 'view v', { retryable: true, catalogMayLag: true })).toBeInstanceOf(ConfigurationError);
  });
});

describe('sqlOf', () => {
  it("gives a dataset's statement with its file, and names the manifest when the dataset has none", () => {
    const dataset: Dataset = {
      manifest: { name: 'demo' } as Dataset['manifest'],
      refineSql: 'SELECT 1',
      views: [],
      files: { manifest: 'sql/demo/manifest.json', refineSql: 'sql/demo/refine.sql' },
    };
    expect(sqlOf(dataset, 'refineSql')).toEqual({ file: 'sql/demo/refine.sql', sql: 'SELECT 1' });
    expect(() => sqlOf(dataset, 'rejectsSql')).toThrow(new ConfigurationError('sql/demo/manifest.json', undefined, 'dataset demo has no rejectsSql'));
  });
});

describe('bindDatasetStatement', () => {
  const topology = (prefix: string): LakeTopology => ({
    names: { busName: prefix, rawBucket: `${prefix}-raw`, resourcePrefix: prefix, athenaWorkgroup: prefix },
    buckets: { raw: `${prefix}-raw`, refined: `${prefix}-refined`, forecast: `${prefix}-forecast`, quarantine: `${prefix}-quarantine` },
    readWorkgroup: `${prefix}-read`,
  });

  it('names the databases of the stack prefix in every statement of every dataset (-c prefix=acme reaches the SQL)', async () => {
    const store = new FolderDatasetStore();
    const values = { window_start: '2026-01-05 00:00:00', window_end: '2026-01-05 01:00:00', lookback_minutes: 30, objects: ['s3://raw/traffic/a.jsonl'] };
    for (const name of await store.listDatasets()) {
      const dataset = await store.getDataset(name);
      if (!dataset) throw new Error(`dataset ${name} vanished`);
      const statements = [
        bindDatasetStatement(sqlOf(dataset, 'refineSql'), topology('acme'), windowParams({ start: Date.parse('2026-01-05T00:00:00Z'), end: Date.parse('2026-01-05T01:00:00Z'), hours: [] }, dataset.manifest, values.objects)),
        ...(dataset.rejectsSql ? [bindDatasetStatement(sqlOf(dataset, 'rejectsSql'), topology('acme'), { objects: values.objects })] : []),
        ...(dataset.forecastInputSql ? [bindDatasetStatement(sqlOf(dataset, 'forecastInputSql'), topology('acme'), { window_start: values.window_start, window_end: values.window_end })] : []),
        ...dataset.views.map((view) => bindDatasetStatement(view, topology('acme'))),
      ];
      for (const sql of statements) {
        const code = sql.replace(/--.*$/gm, '');
        expect(code).not.toMatch(/tributary_/);
        expect(code).toMatch(/\bacme_(raw|refined)\./);
      }
    }
  });

  it('quotes a database name that is not a plain identifier', () => {
    expect(bindDatasetStatement({ file: 'sql/demo/v.sql', sql: 'SELECT * FROM :refined_database.t' }, topology('my-lake'))).toBe('SELECT * FROM "my-lake_refined".t');
  });
});
