import { FieldProbe } from './field-probe';
import type { FieldRule } from './parse-pattern';

const cache = new Map<string, WeakRef<FieldProbe>>();
const registry = new FinalizationRegistry<string>((key) => {
  if (cache.get(key)?.deref() === undefined) cache.delete(key);
});

/**
 * Returns the compiled probe for a leaf constraint, shared by every pattern that has the same one.
 *
 * Rules on one bus repeat the same constraints (`source`, `detail-type`, common detail filters),
 * so sharing keeps the compiled working set small: with thousands of rules, matching cost is
 * dominated by memory misses, not by comparisons. Probes are immutable apart from per-call
 * scratch state, and entries vanish once no compiled pattern holds their probe (weak references).
 */
export function sharedProbe(rule: FieldRule): FieldProbe {
  const key = JSON.stringify([rule.path, rule.matchers]);
  const hit = cache.get(key)?.deref();
  if (hit !== undefined) return hit;
  const probe = new FieldProbe(rule);
  cache.set(key, new WeakRef(probe));
  registry.register(probe, key);
  return probe;
}
