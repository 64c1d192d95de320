import type { z } from 'zod';
import { BusValidationError } from './bus-errors';

/**
 * Parses an API request with its schema, turning zod issues into one `ValidationException` whose
 * message names every offending member, as AWS's "N validation errors detected" does.
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `'${issue.path.join('.') || 'request'}' ${issue.message}`);
  throw new BusValidationError(`${issues.length} validation error${issues.length === 1 ? '' : 's'} detected: ${issues.join('; ')}`);
}
