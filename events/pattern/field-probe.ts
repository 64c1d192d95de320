import { compileValueTest, type Leaf, type ValueTest } from './compile-value-test';
import { isJsonObject } from './json-guards';
import { UncomparableNumber } from './uncomparable-number';
import type { FieldRule } from './parse-pattern';

/**
 * Where a leaf sits among the event's arrays: (array, index) links from the innermost array out.
 *
 * Two leaves can be used together only if they agree on the index of every array they share
 * (event-ruler's array consistency).
 */
export interface Membership {
  readonly array: readonly unknown[];
  readonly index: number;
  readonly parent: Membership | null;
  /** How many arrays enclose the leaf (1 for a top-level array). */
  readonly depth: number;
}

/** Deepest array nesting an event may have; EventBridge processes at most 1000 levels of JSON. */
const MAX_ARRAY_NESTING = 1000;

/** A field's verdict on one event: matched outright, not matched, or matched by these leaves only. */
export type FieldOutcome = boolean | readonly Membership[];

const END = -1;

interface Step {
  readonly key: string;
  readonly next: number;
  /** Keys whose inherited value is not a function (`__proto__`) must be checked as own properties. */
  readonly ownCheck: boolean;
}

const NO_STEP: Step = { key: '', next: END, ownCheck: true };

/**
 * One compiled leaf constraint that walks the event lazily along its path.
 *
 * The path is looked up without flattening the event: at each level it tries every event key
 * the remaining dotted path could start with (`a.b.c` tries `a`, `a.b` and `a.b.c`), so nested
 * and dotted spellings in pattern and event are equivalent. Arrays are descended element by
 * element, recording memberships. The walk stops at the first leaf that matches outside any array.
 */
export class FieldProbe {
  readonly path: string;
  private readonly steps: readonly (readonly Step[])[];
  private readonly test: ValueTest['test'];
  private readonly existsFalse: boolean;
  private leaves = 0;
  private free = false;
  private bound: Membership[] | undefined;

  constructor(rule: FieldRule) {
    this.path = rule.path;
    const { test, existsFalse } = compileValueTest(rule.matchers);
    this.test = test;
    this.existsFalse = existsFalse;
    this.steps = buildSteps(rule.path);
  }

  /** Evaluates the field against an event object. */
  evaluate(event: unknown): FieldOutcome {
    this.leaves = 0;
    this.free = false;
    this.bound = undefined;
    this.walk(event, 0, null);
    if (this.free) return true;
    const bound = this.bound;
    this.bound = undefined;
    if (bound !== undefined) return bound;
    return this.leaves === 0 && this.existsFalse;
  }

  private walk(node: unknown, step: number, membership: Membership | null): boolean {
    if (Array.isArray(node)) {
      const array: readonly unknown[] = node;
      const depth = (membership?.depth ?? 0) + 1;
      if (depth > MAX_ARRAY_NESTING) {
        throw new RangeError(`Event nests arrays deeper than ${MAX_ARRAY_NESTING} levels at "${this.path}"`);
      }
      for (let index = 0; index < array.length; index++) {
        if (this.walk(array[index], step, { array, index, parent: membership, depth })) return true;
      }
      return false;
    }
    if (step === END) return isLeaf(node) && this.visitLeaf(node, membership);
    if (!isJsonObject(node)) return false;
    const steps = this.steps[step] ?? [];
    for (let i = 0; i < steps.length; i++) {
      const { key, next, ownCheck } = steps[i] ?? NO_STEP;
      const child = node[key];
      // JSON values are never functions, so inherited methods are skipped without a hasOwn call.
      if (child === undefined || typeof child === 'function') continue;
      if (ownCheck && !Object.hasOwn(node, key)) continue;
      if (this.walk(child, next, membership)) return true;
    }
    return false;
  }

  private visitLeaf(leaf: Leaf, membership: Membership | null): boolean {
    this.leaves++;
    if (!this.test(leaf)) return false;
    if (membership === null) return (this.free = true);
    (this.bound ??= []).push(membership);
    return false;
  }
}

function isLeaf(node: unknown): node is Leaf {
  const type = typeof node;
  return node === null || type === 'string' || type === 'number' || type === 'boolean' || node instanceof UncomparableNumber;
}

/** For each dot-delimited start of the path, the event keys that may begin there and where they lead. */
function buildSteps(path: string): Step[][] {
  const starts = [0];
  for (let i = 0; i < path.length; i++) if (path[i] === '.') starts.push(i + 1);
  return starts.map((start, stepIndex) => {
    const steps: Step[] = [];
    for (let next = stepIndex + 1; next < starts.length; next++) {
      steps.push(step(path.slice(start, (starts[next] ?? 0) - 1), next));
    }
    steps.push(step(path.slice(start), END));
    return steps;
  });
}

function step(key: string, next: number): Step {
  return { key: internKey(key), next, ownCheck: key === '__proto__' };
}

/**
 * Returns the engine's canonical copy of a property key: a key taken from an object literal is
 * internalized, so event lookups with it skip the string-table probe a sliced string needs, and
 * all rules share one copy.
 */
function internKey(key: string): string {
  return Object.keys({ [key]: true })[0] ?? key;
}
