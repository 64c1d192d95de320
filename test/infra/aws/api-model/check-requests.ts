import { botocoreDataDir, serviceModel } from './botocore-models';
import { validateRequest } from './validate-request';
import { recordViolation } from './violation-log';

/** A request that the service's published API model refuses; the message names the operation and each member's path. */
export class ApiModelViolationError extends Error {
  /** Never retryable: the same request is refused again. */
  readonly retryable = false;
  readonly code = 'ValidationException';
  constructor(message: string) {
    super(message);
    this.name = 'ApiModelViolationError';
  }
}

type Sendable = { input?: unknown; schema?: unknown; clientCommand?: unknown; middlewareStack?: unknown };
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** The operation a command calls, read from the SDK's own operation schema (`[kind, namespace, name, …]`). */
export function operationOf(command: unknown): string | undefined {
  if (!isObject(command) || !Array.isArray(command.schema)) return undefined;
  const name: unknown = command.schema[2];
  return typeof name === 'string' ? name : undefined;
}

let warned = false;

/**
 * Throws {@link ApiModelViolationError} when `input` breaks `serviceId`'s published model for
 * `operation` (and records it for `takeViolations`). Without botocore on the machine it checks
 * nothing and says so once on stderr.
 */
export function assertRequestMatchesModel(serviceId: string, operation: string, input: unknown): void {
  if (botocoreDataDir() === null) {
    if (!warned) process.stderr.write('AWS API model checks skipped: botocore is not installed (python3 -c "import botocore" fails)\n');
    warned = true;
    return;
  }
  const violations = validateRequest(serviceModel(serviceId), operation, input);
  if (violations.length === 0) return;
  const message = `${serviceId} ${operation} request breaks the AWS API model: ${violations.map((v) => `${v.path} ${v.problem}`).join('; ')}`;
  recordViolation(message);
  throw new ApiModelViolationError(message);
}

/**
 * What a violation does: `throw` refuses the send; `record` lets the request reach the server or the
 * mock — an emulator under test must see bad requests to prove it refuses them, with AWS's own
 * message — and the test still fails after it (jest-setup.ts) unless the violation is allowed.
 */
export type OnViolation = 'throw' | 'record';

function check(serviceId: string, operation: string, input: unknown, onViolation: OnViolation): void {
  try {
    assertRequestMatchesModel(serviceId, operation, input);
  } catch (error) {
    if (onViolation === 'throw' || !(error instanceof ApiModelViolationError)) throw error;
  }
}

/**
 * Checks a command about to be sent by a client of `serviceId`. Plain SDK commands are checked as
 * given; DynamoDB document-client commands are checked after their marshalling middleware, on the
 * wire-shaped input.
 */
export function checkCommand(serviceId: string, command: unknown, onViolation: OnViolation = 'throw'): void {
  if (!isObject(command)) return;
  const inner: unknown = command.clientCommand;
  if (isObject(inner) && isObject(inner.middlewareStack)) {
    const operation = operationOf(inner);
    const stack = inner.middlewareStack;
    if (operation === undefined || typeof stack.addRelativeTo !== 'function') return;
    const middleware = (next: (args: Sendable) => Promise<unknown>) => async (args: Sendable) => {
      check(serviceId, operation, args.input, onViolation);
      return next(args);
    };
    stack.addRelativeTo(middleware, { name: 'ApiModelCheck', relation: 'after', toMiddleware: 'DocumentMarshall', override: true });
    return;
  }
  const operation = operationOf(command);
  if (operation !== undefined) check(serviceId, operation, command.input, onViolation);
}

