import type { EventEnvelope } from '../../../contracts/envelope';
import type { PatternIndexKeys } from '../../../events/pattern';

/** What the index needs of a rule: its bus, the exact values its pattern requires, and its matcher. */
export interface IndexableRule {
  readonly eventBusName: string;
  readonly indexKeys: PatternIndexKeys;
  readonly matches: (event: EventEnvelope) => boolean;
}

interface BusBuckets<R> {
  readonly bySource: Map<string, R[]>;
  readonly byDetailType: Map<string, R[]>;
  readonly unindexed: R[];
}

/**
 * Finds the rules that could match an event without testing every rule's pattern.
 *
 * Each rule is filed under exactly one key: the exact `source` values its pattern requires (from the
 * pattern engine's `patternIndexKeys`, which sees through `$or` and dotted keys), else its exact
 * `detail-type` values, else the bus's unindexed list (patterns with operators there). `source` and `detail-type` are always single strings in an envelope, so a rule filed
 * under a value can only match events carrying that value, and no rule is returned twice. The full
 * matcher still runs on every candidate, so the index only prunes, never decides.
 */
export class RuleIndex<R extends IndexableRule> {
  private readonly buses = new Map<string, BusBuckets<R>>();

  /** Builds the index of `rules` (rebuilt whole when the rule table changes: rules change rarely). */
  constructor(rules: Iterable<R>) {
    for (const rule of rules) this.add(rule);
  }

  /** The rules of `bus` whose pattern matches `event`. */
  match(bus: string, event: EventEnvelope): R[] {
    const buckets = this.buses.get(bus);
    if (buckets === undefined) return [];
    const out: R[] = [];
    for (const list of [buckets.bySource.get(event.source), buckets.byDetailType.get(event['detail-type']), buckets.unindexed]) {
      if (list === undefined) continue;
      for (const rule of list) if (rule.matches(event)) out.push(rule);
    }
    return out;
  }

  private add(rule: R): void {
    let buckets = this.buses.get(rule.eventBusName);
    if (buckets === undefined) {
      buckets = { bySource: new Map(), byDetailType: new Map(), unindexed: [] };
      this.buses.set(rule.eventBusName, buckets);
    }
    const { sources, detailTypes } = rule.indexKeys;
    const [map, keys] = sources !== undefined ? [buckets.bySource, sources] : [buckets.byDetailType, detailTypes];
    if (keys === undefined) {
      buckets.unindexed.push(rule);
      return;
    }
    for (const key of new Set(keys)) {
      const list = map.get(key);
      if (list === undefined) map.set(key, [rule]);
      else list.push(rule);
    }
  }
}
