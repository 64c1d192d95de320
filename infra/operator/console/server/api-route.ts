import { PipelineError } from '../../../../contracts/pipeline-error';
import type { ConsoleContext, ReadContext } from './console-context';

/** A parsed API request: path parameters (`:name` segments), the query string and the JSON body. */
export interface ApiRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body of a POST (undefined for GET or an empty body). */
  readonly body: unknown;
}

/** A JSON route: the handler's resolved value is the response body (200). */
export interface JsonRoute<C extends ReadContext = ConsoleContext> {
  readonly kind?: 'json';
  readonly method: 'GET' | 'POST';
  /** `/api/...`, with `:name` segments bound into `params`. */
  readonly path: string;
  /** True for actions (redrive, replay, train…): the request must carry `Authorization: Bearer <token>`. */
  readonly needsToken: boolean;
  handler(request: ApiRequest, ctx: C): Promise<unknown>;
}

/**
 * A server-sent-events route: `open` starts sending and returns the function that stops it (called when
 * the client goes away or the console closes). `send` batches nothing itself; see SseSink.
 */
export interface StreamRoute<C extends ReadContext = ConsoleContext> {
  readonly kind: 'stream';
  readonly method: 'GET';
  readonly path: string;
  readonly needsToken: boolean;
  open(request: ApiRequest, ctx: C, send: (event: string, data: unknown) => void): () => void;
}

/**
 * One entry of the console's API table (`routes.ts`). A route that reads only the ReadContext is an
 * `ApiRoute<ReadContext>`, and is also served by the read-only console of the deployed stack.
 */
export type ApiRoute<C extends ReadContext = ConsoleContext> = JsonRoute<C> | StreamRoute<C>;

/**
 * An API error with its HTTP status: 400 bad input and 404 not found are poison (the same request
 * fails again); 503 (the pipeline is busy or closing) is retryable.
 */
export class ConsoleApiError extends PipelineError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message, { retryable: status >= 500 });
  }
}

/** Runs `build`; what it throws (a bad time, an unknown rule) is the request's fault: a 400 with its message. */
export function badRequestOn<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    throw new ConsoleApiError(400, error instanceof Error ? error.message : String(error));
  }
}
