import { compilePattern, InvalidEventPatternError } from '../../events/pattern';

describe('compilePattern (public API)', () => {
  const pattern = { source: ['tributary.pipeline'], 'detail-type': ['RawLanded'], detail: { zone: ['raw'] } };
  const event = { source: 'tributary.pipeline', 'detail-type': 'RawLanded', detail: { zone: 'raw', n: 1 } };

  it('takes the pattern as an object or as JSON text, and the event likewise', () => {
    for (const p of [pattern, JSON.stringify(pattern)]) {
      const m = compilePattern(p);
      expect(m(event)).toBe(true);
      expect(m(JSON.stringify(event))).toBe(true);
      expect(m({ ...event, detail: { zone: 'refined' } })).toBe(false);
    }
  });

  it('does not mutate the pattern or the event', () => {
    const p = structuredClone(pattern);
    const e = structuredClone(event);
    compilePattern(p)(e);
    expect(p).toEqual(pattern);
    expect(e).toEqual(event);
  });

  it('throws InvalidEventPatternError, an Error, with EventBridge\'s message prefix', () => {
    let caught: unknown;
    try {
      compilePattern({ source: 'x' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidEventPatternError);
    expect(caught).toBeInstanceOf(Error);
    expect(caught).toMatchObject({
      name: 'InvalidEventPatternError',
      message: 'Event pattern is not valid. Reason: "source" must be an object or an array',
      reason: '"source" must be an object or an array',
    });
  });

  it('keeps the JSON parse failure as the cause', () => {
    try {
      compilePattern('{');
      throw new Error('expected a rejection');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidEventPatternError);
      expect((error as Error).cause).toBeInstanceOf(Error);
      expect((error as Error).message).toBe('Event pattern is not valid. Reason: Unexpected end-of-input: expected close marker for OBJECT (start marker at [Source: (String)"{"; line: 1, column: 1])\n at [Source: (String)"{"; line: 1, column: 2]');
    }
  });

  it('can be reused for many events (no state leaks between calls)', () => {
    const m = compilePattern({ a: { b: [1], c: [2] } });
    const results = [
      m({ a: [{ b: 1, c: 2 }] }),
      m({ a: [{ b: 1 }, { c: 2 }] }),
      m({ a: { b: 1, c: 2 } }),
      m({ a: [{ b: 1 }, { c: 2 }] }),
    ];
    expect(results).toEqual([true, false, true, false]);
  });
});

describe('compiled fields shared between patterns', () => {
  it('keeps patterns with identical fields independent', () => {
    const a = compilePattern({ i: { x: [1], y: [2] } });
    const b = compilePattern({ i: { x: [1] }, z: [{ exists: false }] });
    const c = compilePattern({ $or: [{ i: { x: [1], y: [2] } }, { z: [3] }] });
    const split = { i: [{ x: 1 }, { y: 2 }] };
    const together = { i: [{ x: 1, y: 2 }], z: 3 };
    expect([a(split), b(split), c(split)]).toEqual([false, true, false]);
    expect([a(together), b(together), c(together)]).toEqual([true, false, true]);
    expect([a(split), b(split), c(split)]).toEqual([false, true, false]);
  });
});
