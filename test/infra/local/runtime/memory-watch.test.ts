import { MemoryWatch } from '../../../../infra/local/runtime/memory-watch';

describe('MemoryWatch', () => {
  it('says once when resident memory goes above the bound, again only after it came back under, and keeps the peak', () => {
    const samples = [900e6, 1.6e9, 1.7e9, 1.2e9, 1.51e9];
    const lines: string[] = [];
    const watch = new MemoryWatch('1.5GB', 0, (line) => lines.push(line), () => samples.shift() ?? 0);
    for (let i = 0; i < 5; i++) watch.sample();
    expect(lines).toEqual([
      'tributary up: resident memory 1600 MB is above TRIBUTARY_MEMORY=1.5GB; raise it, or lower the engines\' limits (see the README\'s memory table)',
      'tributary up: resident memory 1510 MB is above TRIBUTARY_MEMORY=1.5GB; raise it, or lower the engines\' limits (see the README\'s memory table)',
    ]);
    expect(watch.peak).toBe(1.7e9);
  });
});
