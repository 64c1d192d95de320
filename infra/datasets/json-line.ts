import { lineAt } from '../../handlers/sql/bind-sql';

/**
 * The line of a JSON document where the value at `path` is written (its last object key found,
 * following the path's keys in document order), or undefined when not even the first key is found.
 * Array indexes are skipped, so the line is that of the nearest enclosing key: good enough to point
 * a person at the mistake, which is all it is for.
 */
export function lineOfJsonPath(text: string, path: readonly PropertyKey[]): number | undefined {
  let at: number | undefined;
  let from = 0;
  for (const key of path) {
    if (typeof key !== 'string') continue;
    const quoted = JSON.stringify(key);
    let i = text.indexOf(quoted, from);
    while (i !== -1 && !/^\s*:/.test(text.slice(i + quoted.length, i + quoted.length + 64))) i = text.indexOf(quoted, i + 1);
    if (i === -1) break;
    at = i;
    from = i + quoted.length;
  }
  return at === undefined ? undefined : lineAt(text, at);
}

/** The line a `JSON.parse` SyntaxError points at (Node names `line L column C`, or a `position N`), if it says. */
export function lineOfJsonSyntaxError(text: string, error: unknown): number | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const line = /\(line (\d+) column \d+\)/.exec(message);
  if (line?.[1]) return Number(line[1]);
  const position = /at position (\d+)/.exec(message);
  return position?.[1] ? lineAt(text, Number(position[1])) : undefined;
}
