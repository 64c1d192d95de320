import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Idempotency, IdempotencyOptions, JsonValue } from '../../handlers/ports/idempotency';
import { IdempotencyInProgressError, IdempotencyKeyError, IdempotencyStoreError } from '../../handlers/ports/idempotency-errors';
import { IdempotencyTableSchema } from './tables';

/** Where the idempotency records live: a DynamoDB client (AWS or dynalite) and the table name. */
export interface PowertoolsIdempotencyOptions {
  readonly client: DynamoDBClient;
  readonly tableName?: string;
}

const DEFAULT_EXPIRY_SECONDS = 3600;
const DEFAULT_IN_PROGRESS_SECONDS = 900;
const DEFAULT_IN_PROGRESS_WAIT_SECONDS = 60;

/**
 * The idempotency port on Powertools' `makeIdempotent` and its DynamoDB persistence layer, the same
 * code on AWS and against dynalite. Records are `{ id: "<name>#<md5 of the key>", status, expiration,
 * in_progress_expiration, data }`; `expiration` is the table's TTL attribute.
 *
 * Each wrapped function gets its own persistence layer: Powertools configures a layer once, from the
 * first function that uses it, and sets the key prefix per call — fine in a Lambda with one handler,
 * wrong in the embedded runtime, where every stage shares one process. The in-progress expiry comes
 * from a fixed stand-in for the Lambda context (`getRemainingTimeInMillis`), so a key held by a crashed
 * execution (kill -9) is released after `inProgressTimeoutSeconds` instead of blocking until expiry.
 * A duplicate that finds the key held asks again (50 ms, doubling to 1 s) for up to
 * `inProgressWaitSeconds`: it gets the holder's result as soon as the holder completes.
 *
 * @example
 * const idempotency = new PowertoolsIdempotency({ client });
 * const register = idempotency.makeIdempotent(registerLanding, { name: 'register-landing', keyPath: '[object.key, object.etag]' });
 * await register(input); // runs registerLanding
 * await register(input); // returns the stored result; registerLanding does not run again
 */
export class PowertoolsIdempotency implements Idempotency {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor(options: PowertoolsIdempotencyOptions) {
    this.client = options.client;
    this.tableName = options.tableName ?? IdempotencyTableSchema.defaultName;
  }

  makeIdempotent<I extends object, R extends JsonValue | void>(fn: (input: I) => Promise<R>, options: IdempotencyOptions): (input: I) => Promise<R> {
    const holdMs = (options.inProgressTimeoutSeconds ?? DEFAULT_IN_PROGRESS_SECONDS) * 1000;
    const config = new IdempotencyConfig({
      eventKeyJmesPath: options.keyPath,
      expiresAfterSeconds: options.expiresAfterSeconds ?? DEFAULT_EXPIRY_SECONDS,
      throwOnNoIdempotencyKey: true,
      lambdaContext: { getRemainingTimeInMillis: () => holdMs },
    });
    const persistenceStore = new DynamoDBPersistenceLayer({ tableName: this.tableName, awsSdkV3Client: this.client });
    const wrapped = makeIdempotent(fn, { persistenceStore, config, keyPrefix: options.name });
    const waitMs = (options.inProgressWaitSeconds ?? DEFAULT_IN_PROGRESS_WAIT_SECONDS) * 1000;
    return async (input: I): Promise<R> => {
      const deadline = Date.now() + waitMs;
      for (let pause = 50; ; pause = Math.min(pause * 2, 1000)) {
        try {
          return await wrapped(input);
        } catch (error) {
          const translated = translatePowertoolsError(error, options.name);
          if (!(translated instanceof IdempotencyInProgressError) || Date.now() + pause > deadline) throw translated;
          await new Promise((resolve) => setTimeout(resolve, pause));
        }
      }
    };
  }
}

/**
 * Turns Powertools' errors into ours (by name, at the edge); any other error is the wrapped
 * function's own and passes through untouched.
 */
function translatePowertoolsError(error: unknown, name: string): unknown {
  if (!(error instanceof Error)) return error;
  const cause = error.cause instanceof Error ? error.cause : undefined;
  if (error.name === 'IdempotencyPersistenceLayerError' && cause?.name === 'IdempotencyKeyError') {
    return new IdempotencyKeyError(`${name}: the input has no idempotency key: ${cause.message}`, error);
  }
  switch (error.name) {
    case 'IdempotencyAlreadyInProgressError':
      return new IdempotencyInProgressError(`${name}: another execution is processing the same key; retry later (${error.message})`, error);
    case 'IdempotencyKeyError':
      return new IdempotencyKeyError(`${name}: the input has no idempotency key: ${error.message}`, error);
    case 'IdempotencyPersistenceLayerError':
    case 'IdempotencyInconsistentStateError':
    case 'IdempotencyItemNotFoundError':
      return new IdempotencyStoreError(`${name}: idempotency store failed: ${error.message}`, error);
    default:
      return error;
  }
}
