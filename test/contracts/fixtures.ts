import * as fs from 'node:fs';
import * as path from 'node:path';

/** Folder of the event fixtures (AWS samples at the top, domain examples in `domain/`). */
export const EVENT_FIXTURES = path.join(__dirname, '..', 'fixtures', 'events');

/** Reads a JSON fixture under `test/fixtures/events/`. */
export function loadEvent(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(EVENT_FIXTURES, name), 'utf8')) as Record<string, unknown>;
}

/** A deep copy of `value` with the property at `keys` replaced by `replacement` (or deleted when it is `DELETE`). */
export const DELETE = Symbol('delete');
export function withChange(value: unknown, keys: readonly (string | number)[], replacement: unknown): Record<string, unknown> {
  const copy = structuredClone(value) as Record<string, unknown>;
  let cursor = copy as Record<string | number, unknown>;
  for (const key of keys.slice(0, -1)) cursor = cursor[key] as Record<string | number, unknown>;
  const last = keys[keys.length - 1] as string | number;
  if (replacement === DELETE) delete cursor[last];
  else cursor[last] = replacement;
  return copy;
}

/** Runs `fn` and returns the message of the error it throws; fails the test when nothing is thrown. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected an error, but the call succeeded');
}
