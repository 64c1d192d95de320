import { z } from 'zod';

/**
 * Athena's request constraints for the four query calls, as its published API model states them
 * (botocore `athena/2017-05-18/service-2.json`): `IdempotencyToken` 32–128 characters, `QueryString`
 * 1–262 144, `WorkGroupName` matching `[a-zA-Z0-9._-]{1,128}`, `DatabaseString` 1–255,
 * `CatalogNameString` 1–256, `ExecutionParameters` at least 1 of 1–1 024 characters each,
 * `QueryExecutionId` 1–128 non-blank, `MaxQueryResults` 1–1 000, `Token` 1–1 024. Unknown members
 * are ignored, as the service ignores members it does not model.
 */
const text = (min: number, max: number) => z.string().min(min, `Member must have length greater than or equal to ${min}`).max(max, `Member must have length less than or equal to ${max}`);

/** The model's `QueryExecutionId`: 1–128 characters matching `\S+`. */
const QueryExecutionId = text(1, 128).regex(/^\S+$/, 'Member must satisfy regular expression pattern: \\S+');

/** StartQueryExecutionInput. */
export const StartQueryExecutionRequestSchema = z.object({
  QueryString: text(1, 262_144),
  ClientRequestToken: text(32, 128).optional(),
  QueryExecutionContext: z.object({ Database: text(1, 255).optional(), Catalog: text(1, 256).optional() }).optional(),
  ResultConfiguration: z.object({ OutputLocation: z.string().optional() }).optional(),
  WorkGroup: z.string().regex(/^[a-zA-Z0-9._-]{1,128}$/, 'Member must satisfy regular expression pattern: [a-zA-Z0-9._-]{1,128}').optional(),
  ExecutionParameters: z.array(text(1, 1024)).min(1, 'Member must have length greater than or equal to 1').optional(),
});

/** GetQueryExecutionInput and StopQueryExecutionInput. */
export const QueryExecutionRefSchema = z.object({ QueryExecutionId });

/** GetQueryResultsInput. */
export const GetQueryResultsRequestSchema = z.object({
  QueryExecutionId,
  NextToken: text(1, 1024).optional(),
  MaxResults: z.number().int().min(1, 'Member must have value greater than or equal to 1').max(1000, 'Member must have value less than or equal to 1000').optional(),
});

/**
 * Athena's words for a request that breaks the model: "N validation error(s) detected: Value at
 * 'member' failed to satisfy constraint: …", each member named by its path (camelCase, as AWS does).
 */
export function validationMessage(issues: z.ZodError['issues']): string {
  const parts = issues.map((issue) => {
    const member = issue.path.map((p) => (typeof p === 'string' ? p.charAt(0).toLowerCase() + p.slice(1) : String(p))).join('.');
    return `Value at '${member || 'request'}' failed to satisfy constraint: ${issue.message}`;
  });
  return `${parts.length} validation error${parts.length === 1 ? '' : 's'} detected: ${parts.join('; ')}`;
}
