import { backoffDelayMs, decideRetry, ExhaustedRetryCondition, stageFailure } from '../../events/retry-policy';
import { ruleTable } from '../../events/rules';

const policy = { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 60 };
const backoff = { baseMs: 1000, maxMs: 8000 };
const failed = (attempts: number, overrides: Partial<{ retryable: boolean; nowMs: number; random: number }> = {}) => ({ attempts, retryable: true, ageStartMs: 0, nowMs: 0, random: 0, ...overrides });

describe('the meaning of a rule retry policy (decideRetry, shared by the local bus and the AWS stage queues)', () => {
  it('retries with exponential backoff, capped, jittered into [0.5, 1) of the step', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(backoff, n, 0))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
    expect(backoffDelayMs(backoff, 3, 0.999)).toBe(3998);
    expect(decideRetry(policy, backoff, failed(1))).toEqual({ retry: true, delayMs: 500 });
  });

  it('makes maximumRetryAttempts retries, so maximumRetryAttempts + 1 attempts, then dead-letters', () => {
    expect(decideRetry(policy, backoff, failed(3))).toEqual({ retry: true, delayMs: 2000 });
    expect(decideRetry(policy, backoff, failed(4))).toEqual({ retry: false, condition: ExhaustedRetryCondition.Attempts });
    expect(decideRetry({ ...policy, maximumRetryAttempts: 0 }, backoff, failed(1))).toEqual({ retry: false, condition: ExhaustedRetryCondition.Attempts });
  });

  it('does not make a retry that would start past the maximum event age, counted from when the age started', () => {
    expect(decideRetry(policy, backoff, failed(1, { nowMs: 59_500 }))).toEqual({ retry: true, delayMs: 500 });
    expect(decideRetry(policy, backoff, failed(1, { nowMs: 59_501 }))).toEqual({ retry: false, condition: ExhaustedRetryCondition.Age });
  });

  it('dead-letters an error flagged not retryable (or poison) at its first attempt', () => {
    expect(decideRetry(policy, backoff, failed(1, { retryable: false }))).toEqual({ retry: false, condition: ExhaustedRetryCondition.NotRetryable });
    expect(stageFailure(Object.assign(new Error('bad row'), { retryable: false }))).toEqual({ retryable: false, code: 'POISON_EVENT', message: 'Error: bad row' });
    expect(stageFailure(new TypeError('x is undefined'))).toEqual({ retryable: true, code: 'HANDLER_ERROR', message: 'TypeError: x is undefined' });
  });

  it('is given policies within EventBridge own bounds by every row of the rule table', () => {
    for (const row of ruleTable()) {
      expect(row.retryPolicy.maximumRetryAttempts).toBeGreaterThanOrEqual(0);
      expect(row.retryPolicy.maximumRetryAttempts).toBeLessThanOrEqual(185);
      expect(row.retryPolicy.maximumEventAgeInSeconds).toBeGreaterThanOrEqual(60);
      expect(row.retryPolicy.maximumEventAgeInSeconds).toBeLessThanOrEqual(86400);
    }
  });
});
