import { fitRidge } from '../../../handlers/forecast-model/ridge';

describe('fitRidge', () => {
  it('recovers the coefficients of an exact linear relation when lambda is tiny', () => {
    const xs = Array.from({ length: 50 }, (_, i) => [1, i % 7, (i * 3) % 11, Math.sin(i)]);
    const ys = xs.map(([a = 0, b = 0, c = 0, d = 0]) => 2 * a + 0.5 * b - 1.5 * c + 3 * d);
    const beta = fitRidge(xs, ys, 1e-9);
    [2, 0.5, -1.5, 3].forEach((expected, i) => expect(beta[i]).toBeCloseTo(expected, 6));
  });

  it('shrinks the slopes but not the intercept as lambda grows', () => {
    const xs = Array.from({ length: 20 }, (_, i) => [1, i]);
    const ys = xs.map(([, x = 0]) => 10 + 2 * x);
    const loose = fitRidge(xs, ys, 1e-9);
    const tight = fitRidge(xs, ys, 1e6);
    expect(Math.abs(tight[1] ?? 0)).toBeLessThan(Math.abs(loose[1] ?? 0));
    expect(tight[0]).toBeCloseTo(ys.reduce((a, b) => a + b) / ys.length, 0);
  });

  it('fails clearly on singular equations without a penalty', () => {
    const xs = [[1, 2, 2], [1, 3, 3], [1, 4, 4]];
    expect(() => fitRidge(xs, [1, 2, 3], 0)).toThrow('singular');
  });
});
