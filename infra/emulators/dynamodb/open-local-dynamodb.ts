import { readFile } from 'node:fs/promises';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { processAlive } from '../../local/process-alive';
import { DynaliteStoreUnavailableError, endpointFile, localDynamoDbClient, startDynalite, type DynaliteServer, type DynaliteServerOptions } from './dynalite-server';

const PublishedSchema = z.object({ endpoint: z.url(), pid: z.number(), tables: z.object({ runs: z.string(), idempotency: z.string() }) });
const ATTEMPTS = 20;

/** A local DynamoDB to use: started here (`shared: false`) or the one another process on the home runs (`shared: true`). */
export type LocalDynamoDb = DynaliteServer & { readonly shared: boolean };

/**
 * Opens the home's DynamoDB: starts dynalite if no other process holds the store, else connects to
 * the server that process published (`tributary up` holds it while `tributary runs` reads it).
 * Closing a shared one only destroys this process's client.
 */
export async function openLocalDynamoDb(options: DynaliteServerOptions): Promise<LocalDynamoDb> {
  try {
    return { ...(await startDynalite(options)), shared: false };
  } catch (e) {
    if (!(e instanceof DynaliteStoreUnavailableError && e.locked)) throw e;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const shared = await connect(options.home);
      if (shared) return shared;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new DynaliteStoreUnavailableError(`${e.message}; and that process publishes no reachable endpoint in ${endpointFile(options.home)}`, { locked: true, cause: e });
  }
}

/** What the process holding the home's store publishes in its endpoint file, if it publishes anything readable. */
async function readPublished(home: string): Promise<z.infer<typeof PublishedSchema> | undefined> {
  const parsed = PublishedSchema.safeParse(parseJson(await readFile(endpointFile(home), 'utf8').catch(() => undefined)));
  return parsed.success ? parsed.data : undefined;
}

/** The pid of another live process that holds the home's store and publishes its endpoint, if one does. */
export async function otherStoreOwner(home: string): Promise<number | undefined> {
  const pid = (await readPublished(home))?.pid;
  return pid !== undefined && pid !== process.pid && processAlive(pid) ? pid : undefined;
}

async function connect(home: string): Promise<LocalDynamoDb | undefined> {
  const published = await readPublished(home);
  if (published === undefined) return undefined;
  const client = localDynamoDbClient(published.endpoint);
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }));
  } catch {
    client.destroy();
    return undefined;
  }
  return { endpoint: published.endpoint, client, tables: published.tables, shared: true, close: async () => client.destroy() };
}

function parseJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
