import { compilePattern, parseEventText, patternIndexKeys } from './pattern';

/** Anything that carries an event pattern: a rule row of the table, or a rule a user added. */
export interface PatternHolder {
  readonly pattern: unknown;
}

interface Compiled<R> {
  readonly order: number;
  readonly rule: R;
  readonly matches: (event: unknown) => boolean;
}

const ANY = '\u0000any';

/**
 * Returns the rules whose pattern matches an event, without testing every pattern.
 *
 * Patterns are validated and compiled once. Rules are indexed by the exact `source` and
 * `detail-type` values their pattern requires (a rule that does not pin one of them sits under
 * "any"), so an event is tested only against rules that could match its source and detail-type:
 * the cost follows the event, not the size of the table. Results keep table order.
 */
export class RuleDispatcher<R extends PatternHolder> {
  private readonly index = new Map<string, Map<string, Compiled<R>[]>>();
  private readonly all: Compiled<R>[] = [];

  /** Compiles every rule; throws InvalidEventPatternError naming the first invalid one. */
  constructor(rules: Iterable<R>) {
    let order = 0;
    for (const rule of rules) {
      const compiled: Compiled<R> = { order: order++, rule, matches: compilePattern(rule.pattern) };
      this.all.push(compiled);
      const keys = patternIndexKeys(rule.pattern);
      for (const source of keys.sources ?? [ANY]) {
        let byType = this.index.get(source);
        if (!byType) this.index.set(source, (byType = new Map()));
        for (const detailType of keys.detailTypes ?? [ANY]) {
          const list = byType.get(detailType);
          if (list) list.push(compiled);
          else byType.set(detailType, [compiled]);
        }
      }
    }
  }

  /** The number of rules compiled. */
  get size(): number {
    return this.all.length;
  }

  /** The rules matching an event given as an object or JSON text, in table order. */
  match(event: unknown): R[] {
    const parsed: unknown = typeof event === 'string' ? parseEventText(event) : event;
    const out: Compiled<R>[] = [];
    for (const candidates of this.candidateLists(parsed)) {
      for (const c of candidates) if (c.matches(parsed)) out.push(c);
    }
    if (out.length > 1) out.sort((a, b) => a.order - b.order);
    return out.map((c) => c.rule);
  }

  private candidateLists(event: unknown): Compiled<R>[][] {
    if (typeof event !== 'object' || event === null || Array.isArray(event)) return [this.all];
    const source: unknown = Reflect.get(event, 'source');
    const detailType: unknown = Reflect.get(event, 'detail-type');
    if (typeof source !== 'string' || typeof detailType !== 'string') return [this.all];
    const lists: Compiled<R>[][] = [];
    for (const s of source === ANY ? [ANY] : [source, ANY]) {
      const byType = this.index.get(s);
      if (!byType) continue;
      for (const d of detailType === ANY ? [ANY] : [detailType, ANY]) {
        const list = byType.get(d);
        if (list) lists.push(list);
      }
    }
    return lists;
  }
}
