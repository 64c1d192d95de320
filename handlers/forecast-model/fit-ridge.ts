import { Matrix, solve } from 'ml-matrix';

/**
 * Fits a ridge regression (column 0 is the unpenalised intercept) with ml-matrix: the other columns
 * are scaled to unit standard deviation, `(XᵀX + λ·n·I')β = Xᵀy` is solved, and the coefficients are
 * scaled back, so the penalty is the same whatever the series' units. Deterministic in row order.
 */
export function fitRidge(rows: readonly (readonly number[])[], targets: readonly number[], lambda: number): number[] {
  const width = rows[0]?.length ?? 0;
  if (width === 0 || rows.length !== targets.length) throw new RangeError('fitRidge needs as many targets as non-empty rows');
  const x = new Matrix(rows.map((r) => [...r]));
  const scales = Array.from({ length: width }, (_, j) => {
    if (j === 0) return 1;
    const column = x.getColumn(j);
    const mean = column.reduce((s, v) => s + v, 0) / column.length;
    const sd = Math.sqrt(column.reduce((s, v) => s + (v - mean) ** 2, 0) / column.length);
    return sd > 1e-12 ? sd : 1;
  });
  scales.forEach((s, j) => x.mulColumn(j, 1 / s));
  const xt = x.transpose();
  const normal = xt.mmul(x);
  for (let j = 1; j < width; j += 1) normal.set(j, j, normal.get(j, j) + lambda * rows.length);
  const beta = solve(normal, xt.mmul(Matrix.columnVector([...targets])));
  return scales.map((s, j) => beta.get(j, 0) / s);
}
