// PLACEHOLDER: being replaced by the full EventBridge pattern engine. Do not build on internals.
export class InvalidEventPatternError extends Error {}
export function compilePattern(pattern: unknown): (event: unknown) => boolean {
  const p: unknown = typeof pattern === 'string' ? JSON.parse(pattern) : pattern;
  return (event: unknown) => {
    const e: unknown = typeof event === 'string' ? JSON.parse(event) : event;
    return match(p, e);
  };
}
function match(p: unknown, e: unknown): boolean {
  if (typeof p !== 'object' || p === null) return false;
  for (const [k, v] of Object.entries(p)) {
    const ev = typeof e === 'object' && e !== null ? (e as Record<string, unknown>)[k] : undefined;
    if (Array.isArray(v)) {
      const vals = Array.isArray(ev) ? ev : [ev];
      if (!vals.some((x) => v.includes(x))) return false;
    } else if (!match(v, ev)) return false;
  }
  return true;
}
