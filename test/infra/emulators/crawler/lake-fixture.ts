import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { EventBusTransport, PutEventsEntry, PutEventsResponse } from '../../../../events/put-events';

/** An EventBridge envelope as the bus would deliver it, built from a PutEvents entry. */
export type RecordedEvent = Record<string, unknown> & { detail: Record<string, unknown> };

/** A bus transport that wraps each entry in a full envelope (account 000000000000, us-east-1) and keeps it. */
export class RecordingBus implements EventBusTransport {
  readonly events: RecordedEvent[] = [];
  readonly buses: string[] = [];
  async putEvents(entries: readonly PutEventsEntry[]): Promise<PutEventsResponse> {
    const ids = entries.map((e) => {
      const id = randomUUID();
      this.buses.push(e.EventBusName ?? 'default');
      this.events.push({
        version: '0',
        id,
        'detail-type': e.DetailType,
        source: e.Source,
        account: '000000000000',
        time: (e.Time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: 'us-east-1',
        resources: e.Resources ?? [],
        detail: JSON.parse(e.Detail ?? '{}'),
      });
      return { EventId: id };
    });
    return { FailedEntryCount: 0, Entries: ids };
  }
}

/** A temp Tributary home with helpers to write lake objects; `dispose` removes it. */
export async function makeHome(): Promise<{ home: string; write: (zone: string, key: string, content: string | Buffer) => Promise<string>; dispose: () => Promise<void> }> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-crawler-'));
  const write = async (zone: string, key: string, content: string | Buffer) => {
    const file = path.join(home, 'lake', zone, ...key.split('/'));
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
    return file;
  };
  return { home, write, dispose: () => fs.rm(home, { recursive: true, force: true }) };
}

/** Writes a Parquet file with DuckDB `COPY (<select>) TO <file>`; the folder is created first. */
export async function writeParquet(file: string, select: string, options = 'FORMAT parquet'): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run(`COPY (${select}) TO '${file.replace(/'/g, "''")}' (${options})`);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** JSON lines text of the given records. */
export function jsonl(...records: unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
