import { parseDatasetManifest } from '../../../contracts/dataset-manifest';
import { ErrorClass } from '../../../contracts/domain-events';
import { checkDeclaredColumns, SchemaDriftError } from '../../../handlers/stage-kit/declared-columns';
import { classifyError } from '../../../handlers/stage-kit/stage-error';
import manifestJson from '../../../sql/traffic/manifest.json';

const traffic = parseDatasetManifest(manifestJson);
const declared = Object.entries(traffic.raw.columns ?? {});
/** Every declared traffic column, as DuckDB would type a file that holds them all. */
const whole = declared.map(([name, type]) => ({ name, type: type === 'integer' ? 'BIGINT' : 'VARCHAR' }));

function drift(columns: readonly { name: string; type: string }[], manifest = traffic): SchemaDriftError {
  try {
    checkDeclaredColumns(manifest, 'traffic/b.jsonl', columns);
  } catch (err) {
    if (err instanceof SchemaDriftError) return err;
    throw err;
  }
  throw new Error('no schema drift reported');
}

describe('checkDeclaredColumns', () => {
  it('accepts a file holding every declared column, in any case, with extra columns, widened integers and all-null columns', () => {
    const columns = whole.map((c) => ({ ...c, name: c.name.toUpperCase() }));
    expect(() => checkDeclaredColumns(traffic, 'traffic/a.jsonl', [...columns, { name: 'lane', type: 'BIGINT' }])).not.toThrow();
    const nulls = whole.map((c) => (c.name === 'bezettingsgraad' ? { ...c, type: 'NULL' } : c));
    expect(() => checkDeclaredColumns(traffic, 'traffic/a.jsonl', nulls)).not.toThrow();
  });

  it('names a renamed column as missing, with the object, as a non-retryable schema error', () => {
    const renamed = whole.map((c) => (c.name === 'currentSpeed' ? { ...c, name: 'speed' } : c));
    const err = drift(renamed);
    expect(err.message).toMatch(/^schema change in traffic\/b\.jsonl: column currentSpeed \(integer\) is missing — dataset traffic declares it in raw\.columns \(the file has uniqueId, .*speed/);
    expect(classifyError(err)).toMatchObject({ errorClass: ErrorClass.Schema, errorName: 'SchemaDriftError', retryable: false });
  });

  it.each([
    ['VARCHAR', 'integer'],
    ['DOUBLE', 'integer'],
    ['mixed(string/integer)', 'integer'],
    ['STRUCT(a BIGINT)', 'integer'],
  ])('names a declared integer column typed %s', (found) => {
    const retyped = whole.map((c) => (c.name === 'currentSpeed' ? { ...c, type: found } : c));
    expect(drift(retyped).drifts).toEqual([{ column: 'currentSpeed', declared: 'integer', found }]);
  });

  it('takes a JSON key absent from every record as missing values, not a schema change, unless the file holds an undeclared column', () => {
    // A small JSON-lines file whose every reading lacks uniqueId: the quality rules reject those rows.
    const sparse = whole.filter((c) => c.name !== 'uniqueId');
    expect(() => checkDeclaredColumns(traffic, 'traffic/a.jsonl', sparse)).not.toThrow();
    // Beside an undeclared column (a rename), the absence is a schema change.
    expect(drift([...sparse, { name: 'unique_id', type: 'VARCHAR' }]).drifts).toEqual([{ column: 'uniqueId', declared: 'string' }]);
    // A CSV or Parquet file has fixed columns: one that is not there is a schema change.
    const csv = parseDatasetManifest({ ...manifestJson, raw: { ...manifestJson.raw, format: 'parquet' } });
    expect(drift(sparse, csv).drifts).toEqual([{ column: 'uniqueId', declared: 'string' }]);
  });

  it('compares types by kind: DECIMAL and integers fit number, DATE and TIMESTAMP fit string', () => {
    const manifest = { ...traffic, raw: { ...traffic.raw, columns: { amount: 'number' as const, count: 'number' as const, day: 'string' as const, at: 'string' as const, ok: 'boolean' as const } } };
    const columns = [{ name: 'amount', type: 'DECIMAL(9,2)' }, { name: 'count', type: 'INTEGER' }, { name: 'day', type: 'DATE' }, { name: 'at', type: 'TIMESTAMP WITH TIME ZONE' }, { name: 'ok', type: 'BOOLEAN' }];
    expect(() => checkDeclaredColumns(manifest, 'x/a.parquet', columns)).not.toThrow();
  });

  it('checks only presence in CSV files: a cell that does not parse is a rejected row, not a new schema', () => {
    const csv = { ...traffic, raw: { ...traffic.raw, format: 'csv' as const } };
    expect(() => checkDeclaredColumns(csv, 'traffic/a.csv', whole.map((c) => ({ ...c, type: 'VARCHAR' })))).not.toThrow();
    expect(drift(whole.filter((c) => c.name !== 'uniqueId'), csv).drifts).toEqual([{ column: 'uniqueId', declared: 'string' }]);
  });

  it('reads a CSV header by position: a declared column the file moved is a schema change; one added after them is not', () => {
    const csv = { ...traffic, raw: { ...traffic.raw, format: 'csv' as const } };
    const text = whole.map((c) => ({ ...c, type: 'VARCHAR' }));
    expect(() => checkDeclaredColumns(csv, 'traffic/a.csv', [...text, { name: 'lane', type: 'VARCHAR' }])).not.toThrow();
    const moved = drift([...text.slice(1), ...text.slice(0, 1)], csv);
    expect(moved.message).toContain(`: column uniqueId is the file's column ${text.length} (CSV columns are read by position), declared column 1 — dataset traffic`);
    expect(() => checkDeclaredColumns({ ...csv, raw: { ...csv.raw, csv: { header: false } } }, 'traffic/a.csv', [...text.slice(1), ...text.slice(0, 1)])).not.toThrow();
  });

  it('accepts any file when the dataset declares no columns', () => {
    const { columns: _c, ...raw } = traffic.raw;
    expect(() => checkDeclaredColumns({ ...traffic, raw }, 'traffic/a.jsonl', [])).not.toThrow();
  });
});
