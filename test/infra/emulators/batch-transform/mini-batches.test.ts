import { assembleOutput, miniBatches, RecordTooLargeError } from '../../../../infra/emulators/batch-transform/mini-batches';

describe('miniBatches', () => {
  const multi = (maxPayloadBytes: number) => ({ splitType: 'Line' as const, batchStrategy: 'MultiRecord' as const, maxPayloadBytes });

  it('packs whole lines greedily up to the byte limit; bodies are exact slices of the file', () => {
    const text = 'aaaa\nbb\ncccccc\nd\n';
    expect(miniBatches(text, multi(8))).toEqual(['aaaa\nbb\n', 'cccccc\n', 'd\n']);
    expect(miniBatches(text, multi(0))).toEqual([text]);
    expect(miniBatches(text, multi(100))).toEqual([text]);
  });

  it('keeps a last line without newline, blank lines, and counts bytes not characters', () => {
    expect(miniBatches('x\n\ny', multi(100))).toEqual(['x\n\ny']);
    expect(miniBatches('x\n\ny', { ...multi(100), batchStrategy: 'SingleRecord' })).toEqual(['x\n', '\n', 'y']);
    expect(miniBatches('éé\né\n', multi(5))).toEqual(['éé\n', 'é\n']);
    expect(miniBatches('', multi(10))).toEqual([]);
  });

  it('fails a record larger than the limit, naming it, and an unsplit file larger than the limit', () => {
    expect(() => miniBatches('ok\ntoo-long-line\n', multi(8))).toThrow(new RecordTooLargeError(14, 8, 2));
    expect(() => miniBatches('0123456789', { splitType: 'None', batchStrategy: 'MultiRecord', maxPayloadBytes: 5 })).toThrow(/record 1 is 10 bytes/);
    expect(miniBatches('a\nb\n', { splitType: 'None', batchStrategy: 'MultiRecord', maxPayloadBytes: 0 })).toEqual(['a\nb\n']);
  });
});

describe('assembleOutput', () => {
  it('ends each response with one newline for Line, and concatenates for None', () => {
    expect(assembleOutput(['1\n2', '3\n', ''], 'Line')).toBe('1\n2\n3\n\n');
    expect(assembleOutput(['1\n2', '3\n'], 'None')).toBe('1\n23\n');
  });
});
