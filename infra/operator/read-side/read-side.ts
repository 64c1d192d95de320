import { DynamoDbRunStore } from '../../dynamodb/dynamodb-run-store';
import type { EventBusTransport } from '../../../events/put-events';
import { runQuery } from '../../../handlers/ports/query-engine';
import type { RunStore } from '../../../handlers/ports/run-store';
import { readQueryRows } from '../../../handlers/stage-kit/read-query-rows';
import { JsonFileCatalog } from '../../emulators/catalog/json-file-catalog';
import { openLocalDynamoDb } from '../../emulators/dynamodb/open-local-dynamodb';
import { DuckDbQueryEngine } from '../../emulators/query/duckdb-query-engine';
import { duckDbMemorySettings } from '../../local/runtime/duckdb-memory-settings';
import { DEFAULT_QUERY_TIMEOUT_MS, interruptAfter, QueryInterruptedError } from '../cli/query-timeout';

/** Ad-hoc queries typed at the CLI are not pipeline work: their Athena state changes go nowhere. */
const unannounced: EventBusTransport = {
  putEvents: async (entries) => ({ FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: 'not-announced' })) }),
};

/** What read-only commands use: run state (shared with a running `up`) and a read-only query engine. */
export interface ReadSide {
  readonly runs: RunStore;
  /**
   * Runs Athena SQL read-only against the catalog; throws with Athena's reason when it fails, and
   * QueryInterruptedError when it ran past `timeoutMs` (default 300 s) and DuckDB was interrupted.
   */
  query(sql: string, options?: { timeoutMs?: number }): Promise<Record<string, string | undefined>[]>;
  close(): Promise<void>;
}

/** Read-only Athena SQL on a home's catalog, on an engine of its own (opened at the first query). */
export interface ReadOnlyQuery {
  /** As {@link ReadSide.query}. */
  query(sql: string, options?: { timeoutMs?: number }): Promise<Record<string, string | undefined>[]>;
  close(): Promise<void>;
}

/** Opens read-only querying of a home's lake through its catalog; works whether or not `tributary up` runs on it. */
export function openReadOnlyQuery(home: string): ReadOnlyQuery {
  let engine: Promise<DuckDbQueryEngine> | undefined;
  return {
    query: async (sql, options = {}) => {
      const e = await (engine ??= DuckDbQueryEngine.create({ home, catalog: new JsonFileCatalog(home), bus: unannounced, readOnly: true, memoryLimit: duckDbMemorySettings().userQueries }));
      const timeoutMs = options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
      const execution = await interruptAfter(e, timeoutMs, () => runQuery(e, { QueryString: sql, WorkGroup: 'primary' }, { timeoutMs: Number.POSITIVE_INFINITY }));
      if (execution.interrupted && execution.result.Status.State !== 'SUCCEEDED') throw new QueryInterruptedError(timeoutMs);
      if (execution.result.Status.State !== 'SUCCEEDED') throw new Error(execution.result.Status.StateChangeReason ?? execution.result.Status.AthenaError?.ErrorMessage ?? execution.result.Status.State);
      return readQueryRows(e, execution.result);
    },
    close: async () => {
      await (await engine?.catch(() => undefined))?.close();
    },
  };
}

/** Opens the read side of a home; works whether or not `tributary up` runs on it. */
export async function openReadSide(home: string): Promise<ReadSide> {
  const dynamo = await openLocalDynamoDb({ home });
  const sql = openReadOnlyQuery(home);
  return {
    runs: new DynamoDbRunStore({ client: dynamo.client, tableName: dynamo.tables.runs }),
    query: (text, options) => sql.query(text, options),
    close: async () => {
      await sql.close();
      await dynamo.close();
    },
  };
}
