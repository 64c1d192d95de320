/**
 * Fits a ridge regression by the closed-form normal equations (XᵀX + λI')β = Xᵀy, where I' leaves
 * the intercept (column 0) unpenalised, solved by Gaussian elimination with partial pivoting.
 * Deterministic: rows are accumulated in the order given.
 */
export function fitRidge(rows: readonly (readonly number[])[], targets: readonly number[], lambda: number): number[] {
  const width = rows[0]?.length ?? 0;
  if (width === 0 || rows.length !== targets.length) throw new RangeError('fitRidge needs as many targets as non-empty rows');
  const a = Array.from({ length: width }, (_, i) => Array.from({ length: width + 1 }, (_, j) => (i === j && i > 0 ? lambda : 0)));
  rows.forEach((x, n) => {
    const y = targets[n] ?? 0;
    for (let i = 0; i < width; i += 1) {
      const row = a[i] ?? [];
      const xi = x[i] ?? 0;
      for (let j = 0; j < width; j += 1) row[j] = (row[j] ?? 0) + xi * (x[j] ?? 0);
      row[width] = (row[width] ?? 0) + xi * y;
    }
  });
  return solve(a, width);
}

function solve(a: number[][], n: number): number[] {
  for (let col = 0; col < n; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < n; r += 1) if (Math.abs(a[r]?.[col] ?? 0) > Math.abs(a[pivot]?.[col] ?? 0)) pivot = r;
    const top = a[pivot] ?? [];
    if (Math.abs(top[col] ?? 0) < 1e-12) throw new RangeError('fitRidge: the normal equations are singular (add data or raise lambda)');
    [a[col], a[pivot]] = [top, a[col] ?? []];
    for (let r = 0; r < n; r += 1) {
      if (r === col) continue;
      const row = a[r] ?? [];
      const factor = (row[col] ?? 0) / (top[col] ?? 1);
      for (let c = col; c <= n; c += 1) row[c] = (row[c] ?? 0) - factor * (top[c] ?? 0);
    }
  }
  return Array.from({ length: n }, (_, i) => (a[i]?.[n] ?? 0) / (a[i]?.[i] ?? 1));
}
