import type { Membership } from './field-probe';

/**
 * True when one leaf per field can be chosen so that no two chosen leaves sit in different
 * elements of the same event array.
 *
 * This is event-ruler's array consistency (`rulesForJSONEvent`): sibling fields under an array
 * of objects must match inside the same element. Fields that share no array are independent, so
 * they are split into components first and each component is searched by backtracking.
 */
export function consistentChoice(candidates: readonly (readonly Membership[])[]): boolean {
  if (candidates.length < 2) return true;
  const [first, second] = candidates;
  if (candidates.length === 2 && first !== undefined && second !== undefined) {
    return first.some((a) => second.some((b) => compatible(a, b)));
  }
  for (const component of components(candidates)) {
    if (component.length > 1 && !search(component, 0, new Map())) return false;
  }
  return true;
}

function components(candidates: readonly (readonly Membership[])[]): (readonly Membership[])[][] {
  const parent = candidates.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] ?? root;
    parent[i] = root;
    return root;
  };
  const owner = new Map<readonly unknown[], number>();
  candidates.forEach((list, field) => {
    for (const leaf of list) {
      for (let m: Membership | null = leaf; m !== null; m = m.parent) {
        const other = owner.get(m.array);
        if (other === undefined) owner.set(m.array, field);
        else parent[find(other)] = find(field);
      }
    }
  });
  const groups = new Map<number, (readonly Membership[])[]>();
  candidates.forEach((list, field) => {
    const root = find(field);
    const group = groups.get(root);
    if (group) group.push(list);
    else groups.set(root, [list]);
  });
  return [...groups.values()];
}

function search(
  fields: readonly (readonly Membership[])[],
  depth: number,
  chosen: Map<readonly unknown[], number>,
): boolean {
  const list = fields[depth];
  if (list === undefined) return true;
  for (const leaf of list) {
    const added: (readonly unknown[])[] = [];
    let ok = true;
    for (let m: Membership | null = leaf; m !== null; m = m.parent) {
      const index = chosen.get(m.array);
      if (index === undefined) {
        chosen.set(m.array, m.index);
        added.push(m.array);
      } else if (index !== m.index) {
        ok = false;
        break;
      }
    }
    if (ok && search(fields, depth + 1, chosen)) return true;
    for (const array of added) chosen.delete(array);
  }
  return false;
}

/** True when two leaves agree on the index of every array they share. */
function compatible(a: Membership, b: Membership): boolean {
  for (let x: Membership | null = a; x !== null; x = x.parent) {
    for (let y: Membership | null = b; y !== null; y = y.parent) {
      if (x.array === y.array && x.index !== y.index) return false;
    }
  }
  return true;
}
