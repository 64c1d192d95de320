import { mkdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { ClassicLevel } from 'classic-level';
import dynalite from 'dynalite';
import { IdempotencyTableSchema, RunTableSchema } from '../../dynamodb/tables';
import { closeLevelIteratorsOfDynalite } from './close-level-iterators';
import { ensureTables, type LocalTableNames } from './ensure-tables';
import { sweepExpiredRecords } from './ttl-sweeper';
import { PipelineError } from '../../../contracts/pipeline-error';

/** Where and how to run the local DynamoDB. */
export interface DynaliteServerOptions {
  /** The Tributary home; data lives in `<home>/dynamodb` (LevelDB). */
  readonly home: string;
  /** Loopback port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Table names; default `tributary-runs` and `tributary-idempotency`. */
  readonly tables?: Partial<LocalTableNames>;
  /** How often expired idempotency records are swept; default 10 minutes, 0 = only at start. */
  readonly sweepIntervalMs?: number;
}

/** A running dynalite: its endpoint, a client for it, the table names, and how to stop it. */
export interface DynaliteServer {
  readonly endpoint: string;
  /** A DynamoDB client with dummy credentials in us-east-1, pointed at `endpoint`. */
  readonly client: DynamoDBClient;
  readonly tables: LocalTableNames;
  /** Destroys the client, stops the server and closes the LevelDB store (data stays on disk). */
  close(): Promise<void>;
}

/** Thrown when the store cannot be opened or prepared; `locked` when another process holds its LevelDB lock. */
export class DynaliteStoreUnavailableError extends PipelineError {
  readonly locked: boolean;

  /** Never retryable: the lock is held until the other process stops; retrying at once does not help. */
  constructor(message: string, options: { locked: boolean; cause: unknown }) {
    super(message, { retryable: false, cause: options.cause });
    this.locked = options.locked;
  }
}

/** The file in which a running server publishes its endpoint, so other processes on the home can use it. */
export function endpointFile(home: string): string {
  return path.join(home, 'dynamodb.endpoint.json');
}

/**
 * Opens and closes the LevelDB store once before dynalite does. dynalite opens it lazily and, when
 * another process (or server) holds the lock, crashes the process from an unhandled stream error;
 * probing first turns that into a clear error. LevelDB's lock dies with its process, so a home left
 * by a kill -9 opens normally.
 */
async function probeStore(dir: string): Promise<void> {
  const db = new ClassicLevel(dir);
  try {
    await db.open();
  } catch (e) {
    const cause: unknown = typeof e === 'object' && e !== null ? Reflect.get(e, 'cause') : undefined;
    const reason = [e, cause].map((x) => (typeof x === 'object' && x !== null ? String(Reflect.get(x, 'message')) : String(x))).join(': ');
    throw new DynaliteStoreUnavailableError(`cannot open the local DynamoDB store in ${dir}: ${reason} (is another tributary process using this home?)`, {
      locked: /lock/i.test(reason),
      cause: e,
    });
  }
  await db.close();
}

type RequestSigner = Extract<NonNullable<DynamoDBClientConfig['signer']>, { sign: unknown }>;

/**
 * Stands in for SigV4 against dynalite, which checks that a request carries a well-formed
 * `Authorization` header and a date, but never verifies the signature. Signing hashes every request
 * (about a seventh of a local call's cost, and the run store makes hundreds of calls per refine).
 */
const localSigner: RequestSigner = {
  sign: async (request) => {
    request.headers['x-amz-date'] = '20000101T000000Z';
    request.headers.authorization = 'AWS4-HMAC-SHA256 Credential=local/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0';
    return request;
  },
};

/** A DynamoDB client for a local endpoint: dummy credentials, region us-east-1, requests not signed (see localSigner). */
export function localDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, signer: localSigner });
}

/**
 * Starts dynalite in-process on 127.0.0.1, persisted under `<home>/dynamodb`, and creates the run and
 * idempotency tables if missing. The stages then talk to it with the same DynamoDB code they use on
 * AWS. dynalite lacks transactions, Streams and TTL (no UpdateTimeToLive; DescribeTimeToLive says
 * DISABLED): the run store needs no transactions, and expired idempotency records are swept here.
 * While it runs, its endpoint is published in `<home>/dynamodb.endpoint.json` (see openLocalDynamoDb).
 */
export async function startDynalite(options: DynaliteServerOptions): Promise<DynaliteServer> {
  const dir = path.join(options.home, 'dynamodb');
  await mkdir(dir, { recursive: true });
  await probeStore(dir);
  closeLevelIteratorsOfDynalite();
  const server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localDynamoDbClient(endpoint);
  const tables: LocalTableNames = {
    runs: options.tables?.runs ?? RunTableSchema.defaultName,
    idempotency: options.tables?.idempotency ?? IdempotencyTableSchema.defaultName,
  };
  let timer: NodeJS.Timeout | undefined;
  const published = endpointFile(options.home);
  const close = async (): Promise<void> => {
    if (timer) clearInterval(timer);
    client.destroy();
    await rm(published, { force: true });
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  };
  try {
    await ensureTables(client, tables);
    await sweepExpiredRecords(client, tables.idempotency);
  } catch (e) {
    await close().catch(() => undefined);
    throw new DynaliteStoreUnavailableError(`cannot prepare the local DynamoDB store in ${dir}: ${e instanceof Error ? e.message : String(e)}`, { locked: false, cause: e });
  }
  await writeFile(published, `${JSON.stringify({ endpoint, pid: process.pid, tables })}\n`);
  const every = options.sweepIntervalMs ?? 600_000;
  if (every > 0) {
    timer = setInterval(() => void sweepExpiredRecords(client, tables.idempotency).catch(() => undefined), every);
    timer.unref();
  }
  return { endpoint, client, tables, close };
}
