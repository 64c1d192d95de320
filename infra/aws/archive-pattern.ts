import { TRIBUTARY_SOURCE } from '../../contracts/domain-events';
import { servicePatterns, type EventPattern } from '../../events/rules';
import type { TopologyNames } from '../../events/topology-names';

/**
 * What the bus archive keeps: every domain event (our source) and the forwarded service events of our
 * own resources — exactly what the rule table consumes, so a replay can rebuild any stage's input.
 */
export function archivePattern(names: TopologyNames): EventPattern {
  return { $or: [{ source: [TRIBUTARY_SOURCE] }, ...Object.values(servicePatterns(names))] };
}
