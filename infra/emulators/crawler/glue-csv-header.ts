/**
 * Glue's CSV header heuristic, applied to the first row after DuckDB has sniffed the dialect.
 *
 * DuckDB's own `HasHeader` answers true for an all-text file; Glue answers false there, because its
 * rule 4 needs a data column that is not a string. The four rules, in Glue's words paraphrased:
 * (1) every cell of the row is a STRING, (2) every cell but the last is shorter than 150 characters,
 * (3) every cell is a legal Glue column name, (4) at least one data column is not STRING.
 */

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** The Glue CSV type of one cell's text: bigint, double, boolean or string (dates stay string). */
export function glueCsvCellType(cell: string): 'bigint' | 'double' | 'boolean' | 'string' {
  const v = cell.trim();
  if (INTEGER.test(v)) return 'bigint';
  if (DECIMAL.test(v)) return 'double';
  if (BOOLEAN.test(v)) return 'boolean';
  return 'string';
}

/** True when `name` is a legal Glue column name: 1–255 characters, no line breaks or control characters. */
export function isLegalGlueColumnName(name: string): boolean {
  return name.length >= 1 && name.length <= 255 && !CONTROL.test(name);
}

/**
 * Decides whether `firstRow` is a header, given the Glue types of the data columns (the rows after
 * it). A trailing empty last cell (a trailing delimiter) is allowed by rule 2.
 */
export function isGlueCsvHeader(firstRow: readonly (string | null)[], dataColumnTypes: readonly string[]): boolean {
  const cells = firstRow.map((c) => c ?? '');
  const last = cells.length - 1;
  const rule1 = cells.every((c, i) => (i === last && c === '') || glueCsvCellType(c) === 'string');
  const rule2 = cells.every((c, i) => i === last || c.length < 150);
  const rule3 = cells.every((c, i) => (i === last && c === '') || isLegalGlueColumnName(c));
  const rule4 = dataColumnTypes.some((t) => t !== 'string');
  return rule1 && rule2 && rule3 && rule4;
}

/**
 * Column names for a CSV table: the header cells lower-cased (an empty cell becomes `col<i>`, a
 * repeated name gets `_<n>`), or `col0, col1, …` when there is no header (Glue's zero-based names).
 */
export function glueCsvColumnNames(header: readonly (string | null)[] | undefined, count: number): string[] {
  const names: string[] = [];
  const used = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const raw = header?.[i]?.trim().toLowerCase() ?? '';
    let name = raw === '' ? `col${i}` : raw;
    const n = used.get(name) ?? 0;
    used.set(name, n + 1);
    if (n > 0) name = `${name}_${n}`;
    names.push(name);
  }
  return names;
}
