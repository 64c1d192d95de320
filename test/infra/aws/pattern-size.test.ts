import { serviceForwardingPattern, ruleTable } from '../../../events/rules';
import { archivePattern } from '../../../infra/aws/archive-pattern';

/** EventBridge limits an event pattern (PutRule, CreateArchive) to 4096 characters; bucket names are at most 63. */
describe('pattern sizes on AWS', () => {
  const names = { busName: 'tributary-long-prefix', rawBucket: 'x'.repeat(63), resourcePrefix: 'tributary-long-prefix', athenaWorkgroup: 'tributary-long-prefix' };

  it('keeps the forwarding, archive and every rule pattern within 4096 characters for the longest names', () => {
    const sizes = [serviceForwardingPattern(names), archivePattern(names), ...ruleTable(names).map((r) => r.pattern)].map((p) => JSON.stringify(p).length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4096);
  });
});
