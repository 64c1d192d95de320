/**
 * The idempotency port: wrap a stage's core so a duplicate delivery of the same business key runs it
 * once and returns the stored result.
 *
 * Stages call this instead of Powertools directly so that no stage imports a persistence layer (and
 * with it `@aws-sdk/*`); the composition roots provide Powertools' DynamoDB layer, on AWS and on dynalite.
 */

/** A value that survives a JSON round trip: what a duplicate call gets back from the store. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** How one function is made idempotent. */
export interface IdempotencyOptions {
  /** The function's name in the key (`<name>#<hash>`), so two stages never share a record. Kebab-case stage id. */
  readonly name: string;
  /** JMESPath selecting the business key from the input, e.g. `[object.key, object.etag]` or `detail.runId`. */
  readonly keyPath: string;
  /** How long a completed result is kept and returned to duplicates; default 3600 s. */
  readonly expiresAfterSeconds?: number;
  /** How long one execution holds the key; after that a crashed execution's key can be taken again. Default 900 s. */
  readonly inProgressTimeoutSeconds?: number;
  /**
   * How long a duplicate waits for the execution holding its key before giving up with
   * IdempotencyInProgressError; default 60 s. Waiting, rather than failing at once, keeps a duplicate
   * delivery of a long stage from spending its retries (and landing in a DLQ) while the first runs.
   */
  readonly inProgressWaitSeconds?: number;
}

/** Makes functions idempotent on a business key. */
export interface Idempotency {
  /**
   * Returns `fn` wrapped: the first call with a key runs it and stores its result; a later call with
   * the same key returns the stored result without running `fn`; a call while another holds the key
   * waits for it (then returns its stored result, or runs `fn` if it failed) and throws
   * IdempotencyInProgressError (retryable) only if the key is still held after `inProgressWaitSeconds`.
   * If `fn` throws, nothing is stored and the error passes through.
   */
  makeIdempotent<I extends object, R extends JsonValue | void>(fn: (input: I) => Promise<R>, options: IdempotencyOptions): (input: I) => Promise<R>;
}
