import { fitRidge } from '../../../handlers/forecast-model/fit-ridge';

describe('fitRidge', () => {
  it('recovers exact linear coefficients (intercept unpenalised) with a tiny penalty', () => {
    const rows = Array.from({ length: 50 }, (_, i) => [1, i % 7, (i * 3) % 11]);
    const targets = rows.map((r) => 4 + 2 * (r[1] ?? 0) - 0.5 * (r[2] ?? 0));
    fitRidge(rows, targets, 1e-9).forEach((c, i) => expect(c).toBeCloseTo([4, 2, -0.5][i] ?? 0, 5));
  });

  it('shrinks the slopes towards zero as the penalty grows, not the intercept', () => {
    const rows = Array.from({ length: 40 }, (_, i) => [1, i]);
    const targets = rows.map((r) => 10 + 3 * (r[1] ?? 0));
    const [intercept, slope] = fitRidge(rows, targets, 100);
    expect(Math.abs(slope ?? 0)).toBeLessThan(0.1);
    expect(intercept).toBeGreaterThan(60);
  });

  it('solves a constant (collinear) column instead of failing', () => {
    const rows = Array.from({ length: 20 }, (_, i) => [1, 5, i]);
    expect(fitRidge(rows, rows.map((r) => r[2] ?? 0), 0.01).every(Number.isFinite)).toBe(true);
    expect(() => fitRidge([], [], 1)).toThrow('fitRidge needs');
  });
});
