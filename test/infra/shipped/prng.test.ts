import { Prng } from '../../../infra/shipped/prng';

describe('Prng', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const draw = (seed: number | string): number[] => {
      const rng = new Prng(seed);
      return Array.from({ length: 5 }, () => rng.nextUint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw('a:S001')).toEqual(draw('a:S001'));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw('a:S001')).not.toEqual(draw('a:S002'));
  });

  it('draws uniform floats in range with a plausible mean, and standard normals', () => {
    const rng = new Prng(7);
    const uniforms = Array.from({ length: 20_000 }, () => rng.next());
    expect(Math.min(...uniforms)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniforms)).toBeLessThan(1);
    expect(uniforms.reduce((a, b) => a + b) / uniforms.length).toBeCloseTo(0.5, 1);
    const normals = Array.from({ length: 20_000 }, () => rng.normal());
    const mean = normals.reduce((a, b) => a + b) / normals.length;
    const variance = normals.reduce((a, b) => a + (b - mean) ** 2, 0) / normals.length;
    expect(mean).toBeCloseTo(0, 1);
    expect(variance).toBeCloseTo(1, 1);
    const ints = new Set(Array.from({ length: 1000 }, () => rng.int(1, 3)));
    expect([...ints].sort()).toEqual([1, 2, 3]);
  });

  it('makes version-4-shaped UUIDs', () => {
    const rng = new Prng(1);
    for (let i = 0; i < 50; i += 1) expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
