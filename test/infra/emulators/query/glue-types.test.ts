import { duckDbToGlueType, glueToDuckDbType, trinoTypeName, UnsupportedGlueTypeError } from '../../../../infra/emulators/query/glue-types';

describe('Glue ↔ DuckDB types (research note §2)', () => {
  it.each([
    ['boolean', 'BOOLEAN'], ['tinyint', 'TINYINT'], ['smallint', 'SMALLINT'], ['int', 'INTEGER'], ['bigint', 'BIGINT'],
    ['float', 'FLOAT'], ['double', 'DOUBLE'], ['decimal(10,2)', 'DECIMAL(10,2)'], ['string', 'VARCHAR'], ['varchar(20)', 'VARCHAR'],
    ['char(3)', 'VARCHAR'], ['binary', 'BLOB'], ['date', 'DATE'], ['timestamp', 'TIMESTAMP'], ['array<bigint>', 'BIGINT[]'],
    ['map<string,int>', 'MAP(VARCHAR, INTEGER)'], ['struct<a:int,b:array<string>>', 'STRUCT("a" INTEGER, "b" VARCHAR[])'],
  ])('%s → %s', (glue, duck) => {
    expect(glueToDuckDbType(glue)).toBe(duck);
  });

  it('rejects unknown types with the offending text', () => {
    expect(() => glueToDuckDbType('uniontype<int>')).toThrow(UnsupportedGlueTypeError);
    expect(() => glueToDuckDbType('array<int')).toThrow(/expected '>'/);
  });

  it.each([
    ['VARCHAR', 'string'], ['INTEGER', 'int'], ['BIGINT', 'bigint'], ['DOUBLE', 'double'], ['DECIMAL(18,3)', 'decimal(18,3)'],
    ['TIMESTAMP WITH TIME ZONE', 'timestamp'], ['VARCHAR[]', 'array<string>'], ['STRUCT(a INTEGER, "b c" VARCHAR)', 'struct<a:int,b c:string>'],
    ['MAP(VARCHAR, BIGINT)', 'map<string,bigint>'],
  ])('DuckDB %s → Glue %s', (duck, glue) => {
    expect(duckDbToGlueType(duck)).toBe(glue);
  });

  it('names Trino types as Athena reports them', () => {
    expect(['VARCHAR', 'INTEGER', 'FLOAT', 'BLOB', 'BIGINT[]', 'TIMESTAMP WITH TIME ZONE'].map(trinoTypeName)).toEqual(['varchar', 'integer', 'real', 'varbinary', 'array', 'timestamp with time zone']);
  });
});
