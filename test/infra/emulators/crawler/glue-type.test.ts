import { DuckDBInstance } from '@duckdb/node-api';
import { glueTypeOfDuckDb, renderGlueType, widenGlueType, type GlueType } from '../../../../infra/emulators/crawler/glue-type';

const p = (name: string): GlueType => ({ kind: 'primitive', name });

describe('Glue type merging', () => {
  it('widens integers to the larger width and mixes of integer and float to double', () => {
    expect(renderGlueType(widenGlueType(p('int'), p('bigint')))).toBe('bigint');
    expect(renderGlueType(widenGlueType(p('bigint'), p('double')))).toBe('double');
    expect(renderGlueType(widenGlueType(p('float'), p('decimal(10,2)')))).toBe('double');
  });

  it('falls back to string for incompatible types, and null takes the other side', () => {
    expect(renderGlueType(widenGlueType(p('bigint'), p('boolean')))).toBe('string');
    expect(renderGlueType(widenGlueType({ kind: 'null' }, p('boolean')))).toBe('boolean');
    expect(renderGlueType({ kind: 'null' })).toBe('string');
  });

  it('unites struct fields and widens array elements', () => {
    const a: GlueType = { kind: 'struct', fields: [['x', p('bigint')]] };
    const b: GlueType = { kind: 'struct', fields: [['x', p('double')], ['y', { kind: 'array', element: p('string') }]] };
    expect(renderGlueType(widenGlueType(a, b))).toBe('struct<x:double,y:array<string>>');
    expect(renderGlueType(widenGlueType({ kind: 'array', element: p('int') }, { kind: 'array', element: p('bigint') }))).toBe('array<bigint>');
  });
});

describe('Glue types of DuckDB types', () => {
  it('reads any text integer as bigint, even the HUGEINT DuckDB infers for mixed signs; Parquet keeps a wide decimal', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll('SELECT CAST(-6 AS HUGEINT) AS h, CAST(6 AS INTEGER) AS i');
      const [huge, int] = [reader.columnType(0), reader.columnType(1)];
      expect(renderGlueType(glueTypeOfDuckDb(huge, 'json'))).toBe('bigint');
      expect(renderGlueType(glueTypeOfDuckDb(huge, 'csv'))).toBe('bigint');
      expect(renderGlueType(glueTypeOfDuckDb(huge, 'parquet'))).toBe('decimal(38,0)');
      expect(renderGlueType(glueTypeOfDuckDb(int, 'json'))).toBe('bigint');
      expect(renderGlueType(glueTypeOfDuckDb(int, 'parquet'))).toBe('int');
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
