import { glueCsvCellType, glueCsvColumnNames, isGlueCsvHeader } from '../../../../infra/emulators/crawler/glue-csv-header';

describe("Glue's CSV header rules", () => {
  it('types cells as bigint, double, boolean or string (dates are string)', () => {
    expect(['42', '-7', '2.5', '1e3', 'TRUE', 'false', '2024-01-01', 'abc', ''].map(glueCsvCellType)).toEqual([
      'bigint', 'bigint', 'double', 'double', 'boolean', 'boolean', 'string', 'string', 'string',
    ]);
  });

  it('rule 1: a numeric cell in the first row means no header', () => {
    expect(isGlueCsvHeader(['id', '2024'], ['bigint', 'bigint'])).toBe(false);
    expect(isGlueCsvHeader(['id', 'year'], ['bigint', 'bigint'])).toBe(true);
  });

  it('rule 2: a cell of 150+ characters (except the last) means no header', () => {
    expect(isGlueCsvHeader(['x'.repeat(150), 'b'], ['bigint', 'bigint'])).toBe(false);
    expect(isGlueCsvHeader(['a', 'x'.repeat(150)], ['bigint', 'bigint'])).toBe(true);
  });

  it('rule 2/3: an empty last cell (trailing delimiter) is allowed, an empty middle cell is not a legal name', () => {
    expect(isGlueCsvHeader(['a', 'b', ''], ['bigint', 'string', 'string'])).toBe(true);
    expect(isGlueCsvHeader(['a', '', 'c'], ['bigint', 'string', 'string'])).toBe(false);
  });

  it('rule 3: a cell with a control character is not a legal column name', () => {
    expect(isGlueCsvHeader(['a\u0002', 'b'], ['bigint', 'bigint'])).toBe(false);
  });

  it('rule 4: when every data column is string the first row is data (all-string file)', () => {
    expect(isGlueCsvHeader(['name', 'city'], ['string', 'string'])).toBe(false);
    expect(isGlueCsvHeader(['name', 'age'], ['string', 'bigint'])).toBe(true);
  });

  it('names columns from the header (lower-cased, blanks and repeats fixed) or col0, col1 …', () => {
    expect(glueCsvColumnNames(['ID', 'Name', '', 'name'], 4)).toEqual(['id', 'name', 'col2', 'name_1']);
    expect(glueCsvColumnNames(undefined, 3)).toEqual(['col0', 'col1', 'col2']);
  });
});
