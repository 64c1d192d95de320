import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { PutEventsEntry, PutEventsResponse, EventBusTransport } from '../../../../events/put-events';
import type { CatalogPort, GlueDatabase, GluePartition, GluePartitionInput, GlueTable, GlueTableInput } from '../../../../handlers/ports/catalog';
import { DuckDbQueryEngine, type DuckDbQueryEngineOptions } from '../../../../infra/emulators/query/duckdb-query-engine';

/** A Map-backed CatalogPort: the port is the seam, so the engine is tested against this, not the file catalog. */
export class MapCatalog implements CatalogPort {
  readonly databases = new Map<string, GlueDatabase>();
  readonly tables = new Map<string, GlueTable>();
  readonly partitions = new Map<string, GluePartition[]>();
  async getDatabases(): Promise<GlueDatabase[]> { return [...this.databases.values()]; }
  async getDatabase(name: string): Promise<GlueDatabase | undefined> { return this.databases.get(name); }
  async createDatabase(input: GlueDatabase): Promise<void> { this.databases.set(input.Name, input); }
  async getTables(database: string): Promise<GlueTable[]> { return [...this.tables.values()].filter((t) => t.DatabaseName === database); }
  async getTable(database: string, name: string): Promise<GlueTable | undefined> { return this.tables.get(`${database}.${name}`); }
  async getTableVersion(database: string, name: string, versionId: string): Promise<GlueTable | undefined> {
    const table = this.tables.get(`${database}.${name}`);
    return table && (table.VersionId ?? '0') === versionId ? table : undefined;
  }
  async createTable(database: string, input: GlueTableInput): Promise<void> {
    if (this.tables.has(`${database}.${input.Name}`)) throw new Error('AlreadyExists');
    this.tables.set(`${database}.${input.Name}`, { ...input, DatabaseName: database });
  }
  async updateTable(database: string, input: GlueTableInput): Promise<void> { this.tables.set(`${database}.${input.Name}`, { ...input, DatabaseName: database }); }
  async deleteTable(database: string, name: string): Promise<void> { this.tables.delete(`${database}.${name}`); }
  async getPartitions(database: string, table: string): Promise<GluePartition[]> { return this.partitions.get(`${database}.${table}`) ?? []; }
  async batchCreatePartition(database: string, table: string, inputs: readonly GluePartitionInput[]): Promise<{ alreadyExists: string[][] }> {
    const list = this.partitions.get(`${database}.${table}`) ?? [];
    const alreadyExists: string[][] = [];
    for (const input of inputs) {
      if (list.some((p) => p.Values.join('\u0000') === input.Values.join('\u0000'))) alreadyExists.push([...input.Values]);
      else list.push({ ...input, DatabaseName: database, TableName: table });
    }
    this.partitions.set(`${database}.${table}`, list);
    return { alreadyExists };
  }
  async batchDeletePartition(database: string, table: string, values: readonly (readonly string[])[]): Promise<void> {
    const keys = new Set(values.map((v) => v.join('\u0000')));
    this.partitions.set(`${database}.${table}`, (this.partitions.get(`${database}.${table}`) ?? []).filter((p) => !keys.has(p.Values.join('\u0000'))));
  }
}

/** A bus transport that records what it is given. */
export class RecordingBus implements EventBusTransport {
  readonly entries: PutEventsEntry[] = [];
  async putEvents(entries: readonly PutEventsEntry[]): Promise<PutEventsResponse> {
    this.entries.push(...entries);
    return { FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `e${this.entries.length + i}` })) };
  }
}

export const PARQUET = {
  InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
};

/** Writes files with a scratch DuckDB (not the engine under test). */
export async function duckWrite(sql: string): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(sql);
  c.closeSync();
  db.closeSync();
}

export interface Lake {
  home: string;
  catalog: MapCatalog;
  bus: RecordingBus;
  engine: DuckDbQueryEngine;
  cleanup(): Promise<void>;
}

/**
 * A temp home with database `contract_db`: table `readings` (Parquet, partitioned by dt, 2 partitions
 * registered + 1 folder not registered) and table `events` (JSON lines, unpartitioned).
 */
export async function makeLake(options: Partial<Pick<DuckDbQueryEngineOptions, 'readOnly' | 'keepResults' | 'resultBytes' | 'connections' | 'memoryLimit'>> = {}): Promise<Lake> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-query-'));
  const refined = path.join(home, 'lake', 'refined');
  const raw = path.join(home, 'lake', 'raw');
  for (const dt of ['2024-01-01', '2024-01-02', '2024-01-03']) {
    await fs.mkdir(path.join(refined, 'readings', `dt=${dt}`), { recursive: true });
  }
  await duckWrite(`COPY (SELECT * FROM (VALUES ('s1', 10.5, 3), ('s2', 20.0, 4)) t(sensor, speed, lanes)) TO '${refined}/readings/dt=2024-01-01/a.parquet' (FORMAT parquet)`);
  await duckWrite(`COPY (SELECT * FROM (VALUES ('s1', 30.0, 3)) t(sensor, speed, lanes)) TO '${refined}/readings/dt=2024-01-02/b.parquet' (FORMAT parquet)`);
  await duckWrite(`COPY (SELECT * FROM (VALUES ('s9', 99.0, 9)) t(sensor, speed, lanes)) TO '${refined}/readings/dt=2024-01-03/c.parquet' (FORMAT parquet)`);
  await fs.writeFile(path.join(refined, 'readings', 'dt=2024-01-01', '_SUCCESS'), '');
  await fs.mkdir(path.join(raw, 'events'), { recursive: true });
  await fs.writeFile(path.join(raw, 'events', 'part-1.json'), '{"id": 1, "kind": "a", "at": "2024-01-01 10:00:00"}\n{"id": 2, "kind": "b", "at": "2024-01-01 11:00:00"}\n');
  const catalog = new MapCatalog();
  await catalog.createDatabase({ Name: 'contract_db' });
  await catalog.createTable('contract_db', {
    Name: 'readings', TableType: 'EXTERNAL_TABLE', Parameters: { classification: 'parquet' },
    PartitionKeys: [{ Name: 'dt', Type: 'string' }],
    StorageDescriptor: { ...PARQUET, Location: 's3://tributary-refined/readings/', Columns: [{ Name: 'sensor', Type: 'string' }, { Name: 'speed', Type: 'double' }, { Name: 'lanes', Type: 'int' }] },
  });
  await catalog.batchCreatePartition('contract_db', 'readings', ['2024-01-01', '2024-01-02'].map((dt) => ({
    Values: [dt], StorageDescriptor: { ...PARQUET, Location: `s3://tributary-refined/readings/dt=${dt}/`, Columns: [] },
  })));
  await catalog.createTable('contract_db', {
    Name: 'events', TableType: 'EXTERNAL_TABLE', Parameters: { classification: 'json' }, PartitionKeys: [],
    StorageDescriptor: { Location: 's3://tributary-raw/events/', Columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'kind', Type: 'string' }, { Name: 'at', Type: 'string' }], SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' } },
  });
  const bus = new RecordingBus();
  const engine = await DuckDbQueryEngine.create({ home, catalog, bus, ...options });
  return {
    home, catalog, bus, engine,
    async cleanup() {
      await engine.close();
      await fs.rm(home, { recursive: true, force: true });
    },
  };
}
