import type { z } from 'zod';
import { ConsoleApiError } from './api-route';

/** The query string as an object, empty values left out (an empty filter box means no filter). */
function queryObject(query: URLSearchParams): Record<string, string> {
  return Object.fromEntries([...query].filter(([, v]) => v !== ''));
}

/** Parses with a schema; a failure is a 400 naming the field and what was wrong. */
export function parseQuery<T>(schema: z.ZodType<T>, query: URLSearchParams): T {
  const parsed = schema.safeParse(queryObject(query));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConsoleApiError(400, `${issue?.path.join('.') ?? 'query'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

