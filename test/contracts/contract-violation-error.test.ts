import { z } from 'zod';
import { ContractViolationError, formatIssuePath, parseContract } from '../../contracts/contract-violation-error';

describe('formatIssuePath', () => {
  it('writes keys with dots and indices in brackets', () => {
    expect(formatIssuePath(['detail', 'partitions', 0, 'year'])).toBe('detail.partitions[0].year');
  });

  it('quotes keys that are not plain identifiers and names the root', () => {
    expect(formatIssuePath(['detail', 'runningTime (sec)'])).toBe('detail["runningTime (sec)"]');
    expect(formatIssuePath(['detail-type'])).toBe('detail-type');
    expect(formatIssuePath([])).toBe('(root)');
  });
});

describe('parseContract', () => {
  const schema = z.object({ a: z.object({ b: z.array(z.string()) }) });

  it('returns the parsed value', () => {
    expect(parseContract(schema, { a: { b: ['x'] } }, 'thing')).toEqual({ a: { b: ['x'] } });
  });

  it('throws a poison ContractViolationError listing every offending path', () => {
    let caught: unknown;
    try {
      parseContract(schema, { a: { b: ['x', 2, 3] } }, 'thing', ['outer']);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ContractViolationError);
    const error = caught as ContractViolationError;
    expect(error.name).toBe('ContractViolationError');
    expect(error.retryable).toBe(false);
    expect(error.problems).toEqual([
      'outer.a.b[1]: expected string, received number',
      'outer.a.b[2]: expected string, received number',
    ]);
    expect(error.message).toBe(
      'thing is invalid: outer.a.b[1]: expected string, received number; outer.a.b[2]: expected string, received number',
    );
    expect(error.cause).toBeInstanceOf(z.ZodError);
  });
});
