import { z } from 'zod';

/**
 * The JSON document Lambda sends to an asynchronous invocation's on-failure destination: the request
 * (the original event as `requestPayload`, the function, why Lambda gave up), and the last response
 * (the function's error, when it ran). Fields the redrive does not need are passed through unchecked.
 */
const LambdaFailureRecordSchema = z.looseObject({
  version: z.string(),
  timestamp: z.string().optional(),
  requestContext: z.looseObject({
    requestId: z.string().optional(),
    functionArn: z.string(),
    condition: z.string(),
    approximateInvokeCount: z.number().int().nonnegative(),
  }),
  requestPayload: z.unknown(),
  responseContext: z.looseObject({ statusCode: z.number().optional(), executedVersion: z.string().optional(), functionError: z.string().optional() }).optional(),
  responsePayload: z.unknown().optional(),
});

const ErrorPayloadSchema = z.looseObject({ errorType: z.string().optional(), errorMessage: z.string().optional() });

/** A Lambda on-failure record as `tributary dlq --aws` shows and redrives it. */
export interface LambdaFailure {
  /** The function that failed, without a `:$LATEST` qualifier (other qualifiers are kept). */
  readonly functionArn: string;
  /** Why Lambda gave up: `RetriesExhausted` or `EventAgeExceeded`. */
  readonly condition: string;
  /** Invocations Lambda made, the first included. */
  readonly approximateInvokeCount: number;
  /** The function's error type and message of the last attempt, when it ran and threw. */
  readonly errorType?: string;
  readonly errorMessage?: string;
  /** The original event (the payload EventBridge handed to Lambda). */
  readonly requestPayload: unknown;
}

/**
 * Reads an SQS message body as a Lambda on-failure record; undefined when it is not one (an
 * EventBridge dead letter is the bare event, which has no `requestContext`).
 */
export function parseLambdaFailure(body: unknown): LambdaFailure | undefined {
  const parsed = LambdaFailureRecordSchema.safeParse(body);
  if (!parsed.success || !('requestPayload' in parsed.data)) return undefined;
  const { requestContext, requestPayload, responsePayload, responseContext } = parsed.data;
  const error = ErrorPayloadSchema.safeParse(responsePayload);
  const errorType = (error.success ? error.data.errorType : undefined) ?? responseContext?.functionError;
  const errorMessage = error.success ? error.data.errorMessage : undefined;
  return {
    functionArn: requestContext.functionArn.replace(/:\$LATEST$/, ''),
    condition: requestContext.condition,
    approximateInvokeCount: requestContext.approximateInvokeCount,
    ...(errorType === undefined ? {} : { errorType }),
    ...(errorMessage === undefined ? {} : { errorMessage }),
    requestPayload,
  };
}
