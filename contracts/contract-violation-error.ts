import type { z } from 'zod';
import { PipelineError } from './pipeline-error';

/**
 * A value that does not satisfy its contract (an event, a detail, a manifest). Always poison: the same
 * bytes will fail the same way on every retry, so callers send it to the DLQ or report it, never retry.
 * The message names every offending path, e.g. `detail.partitions[0].year: expected string`.
 */
export class ContractViolationError extends PipelineError {
  /** One line per problem, `<path>: <what was wrong>`, in the order zod reported them. */
  readonly problems: readonly string[];

  constructor(what: string, problems: readonly string[], options?: { cause?: unknown }) {
    super(`${what} is invalid: ${problems.join('; ')}`, { retryable: false, cause: options?.cause });
    this.problems = problems;
  }
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** Renders a zod issue path the way a reader would write it: `detail.partitions[0].year`, `detail["runningTime (sec)"]`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && PLAIN_KEY.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '(root)' : out;
}

/**
 * Turns zod issues into `<path>: <message>` lines, dropping zod's redundant "Invalid input: " / "Invalid option: " prefix.
 * `pathPrefix` locates the parsed value inside a larger one (e.g. `['detail']` for a bare detail).
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], pathPrefix: readonly PropertyKey[] = []): string[] {
  return issues.map(
    (issue) => `${formatIssuePath([...pathPrefix, ...issue.path])}: ${issue.message.replace(/^Invalid (?:input|option): /, '')}`,
  );
}

/**
 * Parses `value` with `schema` and returns the typed output, or throws a {@link ContractViolationError}
 * whose message names each offending path. `what` labels the value in the message (`RawLanded event`);
 * `pathPrefix` is prepended to every path.
 */
export function parseContract<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  pathPrefix: readonly PropertyKey[] = [],
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ContractViolationError(what, describeIssues(result.error.issues, pathPrefix), { cause: result.error });
}
