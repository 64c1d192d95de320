/** One step of a compiled JSONPath: a member name, an array index, or every element/member. */
type PathStep = { readonly kind: 'name'; readonly name: string } | { readonly kind: 'index'; readonly index: number } | { readonly kind: 'wildcard' };

/** A compiled JSONPath of the subset EventBridge evaluates in `InputPath` and `InputPathsMap`. */
export interface JsonPath {
  readonly text: string;
  readonly steps: readonly PathStep[];
}

/**
 * Compiles the JSONPath subset EventBridge supports at run time: `$`, dot members (letters, digits,
 * `-`, `_`, `/`, `:`), bracketed indices `[0]`, quoted bracket members `['a b']` and the wildcard `*`
 * (`.*` or `[*]`). Returns undefined for anything else, so PutTargets rejects it up front.
 */
export function compileJsonPath(text: string): JsonPath | undefined {
  if (!text.startsWith('$')) return undefined;
  const steps: PathStep[] = [];
  let at = 1;
  while (at < text.length) {
    const rest = text.slice(at);
    const dot = /^\.([A-Za-z0-9_\-/:@$]+|\*)/.exec(rest);
    if (dot?.[1] !== undefined) {
      steps.push(dot[1] === '*' ? { kind: 'wildcard' } : { kind: 'name', name: dot[1] });
      at += dot[0].length;
      continue;
    }
    const bracket = /^\[(?:(\d+)|\*|'([^']*)'|"([^"]*)")\]/.exec(rest);
    if (bracket === null) return undefined;
    if (bracket[1] !== undefined) steps.push({ kind: 'index', index: Number(bracket[1]) });
    else if (bracket[2] !== undefined || bracket[3] !== undefined) steps.push({ kind: 'name', name: bracket[2] ?? bracket[3] ?? '' });
    else steps.push({ kind: 'wildcard' });
    at += bracket[0].length;
  }
  return { text, steps };
}

/**
 * Evaluates a compiled path against a JSON value: the selected value, or undefined when the path
 * selects nothing. A wildcard makes the result the list of everything it selected (as Jayway's
 * JSONPath, which EventBridge follows, returns for indefinite paths).
 */
export function evaluateJsonPath(path: JsonPath, root: unknown): unknown {
  const indefinite = path.steps.some((step) => step.kind === 'wildcard');
  let nodes: unknown[] = [root];
  for (const step of path.steps) {
    const next: unknown[] = [];
    for (const node of nodes) {
      if (step.kind === 'wildcard') {
        if (Array.isArray(node)) next.push(...node);
        else if (typeof node === 'object' && node !== null) next.push(...Object.values(node));
      } else if (step.kind === 'index') {
        if (Array.isArray(node) && step.index < node.length) next.push(node[step.index]);
      } else if (typeof node === 'object' && node !== null && !Array.isArray(node) && Object.prototype.hasOwnProperty.call(node, step.name)) {
        next.push(Reflect.get(node, step.name));
      }
    }
    nodes = next;
  }
  if (indefinite) return nodes;
  return nodes[0];
}
