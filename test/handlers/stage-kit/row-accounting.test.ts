import { ErrorClass } from '../../../contracts/domain-events';
import { classifyError } from '../../../handlers/stage-kit/stage-error';
import { AccountingError, accountingMessage, describeRowCounts, sumRowCounts, sumWritten, unaccounted } from '../../../handlers/stage-kit/row-accounting';

describe('row accounting', () => {
  const balanced = { read: 10, refined: 7, rejected: 2, duplicates: 1 };
  const short = { read: 62, refined: 0, rejected: 0, duplicates: 0 };

  it('says how many rows are missing, or written more than read', () => {
    expect(unaccounted(balanced)).toBe(0);
    expect(unaccounted(short)).toBe(62);
    expect(unaccounted({ ...balanced, refined: 9 })).toBe(-2);
    expect(describeRowCounts(balanced)).toBe('read 10 = refined 7 + rejected 2 + duplicates 1');
    expect(describeRowCounts(short)).toBe('read 62 ≠ refined 0 + rejected 0 + duplicates 0 (62 missing)');
    expect(describeRowCounts({ ...balanced, refined: 9 })).toContain('(2 more written than read)');
  });

  it('names the object and the missing count in the failure, which is never retried', () => {
    const err = new AccountingError(accountingMessage('s3://tributary-raw/traffic/x.jsonl', short));
    expect(err.message).toMatch(/^s3:\/\/tributary-raw\/traffic\/x\.jsonl: 62 of its 62 rows were neither refined, rejected with a reason, nor dropped as duplicates/);
    expect(classifyError(err)).toMatchObject({ errorClass: ErrorClass.Accounting, errorName: 'AccountingError', retryable: false });
  });

  it('adds what the windows of one refine wrote per object, and counts over runs', () => {
    const a = new Map([['o1', { refined: 3, duplicates: 1 }]]);
    const b = new Map([['o1', { refined: 2, duplicates: 0 }], ['o2', { refined: 5, duplicates: 2 }]]);
    expect([...sumWritten([a, b])]).toEqual([['o1', { refined: 5, duplicates: 1 }], ['o2', { refined: 5, duplicates: 2 }]]);
    expect(sumRowCounts([balanced, balanced])).toEqual({ read: 20, refined: 14, rejected: 4, duplicates: 2 });
  });
});
