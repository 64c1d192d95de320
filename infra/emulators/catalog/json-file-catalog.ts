import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import type {
  CatalogPort,
  GlueDatabase,
  GluePartition,
  GluePartitionInput,
  GlueTable,
  GlueTableInput,
} from '../../../handlers/ports/catalog';
import { readJsonFile, writeJsonAtomic } from './atomic-json';
import { AlreadyExistsError, EntityNotFoundError, InvalidCatalogInputError } from './catalog-errors';
import { DatabaseRecordSchema, PartitionsRecordSchema, TableRecordSchema } from './catalog-records';
import { KeyLock } from './key-lock';

/** Glue's BatchCreatePartition limit (PartitionInputList ≤ 100). */
const MAX_PARTITIONS_PER_BATCH = 100;
const NAME = /^[a-z0-9_][a-z0-9_-]{0,254}$/;

/** One archived table definition (Glue `TableVersion`). */
export interface GlueTableVersion {
  readonly Table: GlueTable;
  readonly VersionId: string;
}

/**
 * The Glue Data Catalog on local disk: one JSON file per database, table and table-partition list
 * under `<home>/catalog/<db>/`, written atomically (temp + rename).
 *
 * Layout: `<db>/database.json`, `<db>/tables/<table>/table.json`, `…/versions/<VersionId>.json`
 * (every UpdateTable archives the previous definition, as Glue does without SkipArchive) and
 * `…/partitions.json`. Names are lower-cased like Glue's. Nothing is cached, so several instances on
 * one home see each other's writes; writes to one table are serialised within this process.
 */
export class JsonFileCatalog implements CatalogPort {
  private readonly root: string;
  private readonly lock = new KeyLock();

  /** Opens (or starts) the catalog under `<home>/catalog`. */
  constructor(home: string) {
    this.root = path.join(home, 'catalog');
  }

  async getDatabases(): Promise<GlueDatabase[]> {
    const names = await listDirs(this.root);
    const dbs = await Promise.all(names.map((n) => this.getDatabase(n)));
    return dbs.filter((d): d is GlueDatabase => d !== undefined);
  }

  async getDatabase(name: string): Promise<GlueDatabase | undefined> {
    const db = normalise(name, 'database');
    return parseOptional(DatabaseRecordSchema, await readJsonFile(this.dbFile(db)), this.dbFile(db));
  }

  async createDatabase(input: GlueDatabase): Promise<void> {
    const name = normalise(input.Name, 'database');
    await this.lock.run(`db:${name}`, async () => {
      if (await this.getDatabase(name)) throw new AlreadyExistsError(`Database ${name} already exists.`);
      await writeJsonAtomic(this.dbFile(name), { ...input, Name: name, CreateTime: input.CreateTime ?? new Date().toISOString() });
    });
  }

  async getTables(database: string): Promise<GlueTable[]> {
    const db = await this.requireDatabase(database);
    const names = await listDirs(path.join(this.root, db, 'tables'));
    const tables = await Promise.all(names.map((n) => this.getTable(db, n)));
    return tables.filter((t): t is GlueTable => t !== undefined);
  }

  async getTable(database: string, name: string): Promise<GlueTable | undefined> {
    const file = this.tableFile(normalise(database, 'database'), normalise(name, 'table'));
    return parseOptional(TableRecordSchema, await readJsonFile(file), file);
  }

  async createTable(database: string, input: GlueTableInput): Promise<void> {
    const db = await this.requireDatabase(database);
    const name = normalise(input.Name, 'table');
    await this.lock.run(`table:${db}.${name}`, async () => {
      if (await this.getTable(db, name)) throw new AlreadyExistsError(`Table ${name} already exists in database ${db}.`);
      const now = new Date().toISOString();
      const table: GlueTable = { ...input, Name: name, DatabaseName: db, CreateTime: now, UpdateTime: now, VersionId: '0' };
      await writeJsonAtomic(this.tableFile(db, name), table);
    });
  }

  async updateTable(database: string, input: GlueTableInput): Promise<void> {
    const db = await this.requireDatabase(database);
    const name = normalise(input.Name, 'table');
    await this.lock.run(`table:${db}.${name}`, async () => {
      const current = await this.getTable(db, name);
      if (!current) throw new EntityNotFoundError(`Table ${name} not found in database ${db}.`);
      const version = current.VersionId ?? '0';
      await writeJsonAtomic(path.join(this.tableDir(db, name), 'versions', `${version}.json`), current);
      const next: GlueTable = {
        ...input,
        Name: name,
        DatabaseName: db,
        CreateTime: current.CreateTime,
        UpdateTime: new Date().toISOString(),
        VersionId: String(Number(version) + 1),
      };
      await writeJsonAtomic(this.tableFile(db, name), next);
    });
  }

  async deleteTable(database: string, name: string): Promise<void> {
    const db = await this.requireDatabase(database);
    const table = normalise(name, 'table');
    await this.lock.run(`table:${db}.${table}`, async () => {
      if (!(await this.getTable(db, table))) throw new EntityNotFoundError(`Table ${table} not found in database ${db}.`);
      const graveyard = path.join(this.root, db, `.deleted-${table}-${process.pid}-${Date.now()}`);
      await fs.rename(this.tableDir(db, table), graveyard);
      await fs.rm(graveyard, { recursive: true, force: true });
    });
  }

  async getTableVersion(database: string, name: string, versionId: string): Promise<GlueTable | undefined> {
    const db = normalise(database, 'database');
    const table = normalise(name, 'table');
    const current = await this.getTable(db, table);
    if (!current || (current.VersionId ?? '0') === versionId) return current;
    if (!/^\d+$/.test(versionId)) return undefined;
    const file = path.join(this.tableDir(db, table), 'versions', `${versionId}.json`);
    return parseOptional(TableRecordSchema, await readJsonFile(file), file);
  }

  /** The archived definitions of a table, newest first, the current one included (Glue GetTableVersions). */
  async getTableVersions(database: string, name: string): Promise<GlueTableVersion[]> {
    const db = normalise(database, 'database');
    const table = normalise(name, 'table');
    const current = await this.getTable(db, table);
    if (!current) throw new EntityNotFoundError(`Table ${table} not found in database ${db}.`);
    const dir = path.join(this.tableDir(db, table), 'versions');
    const files = (await fs.readdir(dir).catch(() => [])).filter((f) => /^\d+\.json$/.test(f));
    const archived = await Promise.all(
      files.map(async (f) => parseOptional(TableRecordSchema, await readJsonFile(path.join(dir, f)), path.join(dir, f))),
    );
    const all = [current, ...archived.filter((t) => t !== undefined)];
    return all.map((t) => ({ Table: t, VersionId: t.VersionId ?? '0' })).sort((a, b) => Number(b.VersionId) - Number(a.VersionId));
  }

  async getPartitions(database: string, table: string): Promise<GluePartition[]> {
    const db = normalise(database, 'database');
    const name = normalise(table, 'table');
    return this.readPartitions(db, name);
  }

  async batchCreatePartition(database: string, table: string, inputs: readonly GluePartitionInput[]): Promise<{ alreadyExists: string[][] }> {
    if (inputs.length > MAX_PARTITIONS_PER_BATCH) {
      throw new InvalidCatalogInputError(`BatchCreatePartition takes at most ${MAX_PARTITIONS_PER_BATCH} partitions, got ${inputs.length}.`);
    }
    const { db, name, keyCount } = await this.requireTable(database, table);
    for (const input of inputs) {
      if (input.Values.length !== keyCount) {
        throw new InvalidCatalogInputError(`Partition values ${JSON.stringify(input.Values)} do not match the ${keyCount} partition keys of ${db}.${name}.`);
      }
    }
    return this.lock.run(`table:${db}.${name}`, async () => {
      const existing = await this.readPartitions(db, name);
      const seen = new Set(existing.map((p) => valuesKey(p.Values)));
      const alreadyExists: string[][] = [];
      const now = new Date().toISOString();
      for (const input of inputs) {
        const key = valuesKey(input.Values);
        if (seen.has(key)) {
          alreadyExists.push([...input.Values]);
          continue;
        }
        seen.add(key);
        existing.push({ ...input, DatabaseName: db, TableName: name, CreationTime: now });
      }
      await writeJsonAtomic(this.partitionsFile(db, name), existing);
      return { alreadyExists };
    });
  }

  async batchDeletePartition(database: string, table: string, values: readonly (readonly string[])[]): Promise<void> {
    const { db, name } = await this.requireTable(database, table);
    const doomed = new Set(values.map(valuesKey));
    await this.lock.run(`table:${db}.${name}`, async () => {
      const kept = (await this.readPartitions(db, name)).filter((p) => !doomed.has(valuesKey(p.Values)));
      await writeJsonAtomic(this.partitionsFile(db, name), kept);
    });
  }

  /** Replaces existing partitions' definitions (Glue BatchUpdatePartition); missing ones are returned. */
  async batchUpdatePartition(database: string, table: string, inputs: readonly GluePartitionInput[]): Promise<{ notFound: string[][] }> {
    const { db, name } = await this.requireTable(database, table);
    return this.lock.run(`table:${db}.${name}`, async () => {
      const partitions = await this.readPartitions(db, name);
      const index = new Map(partitions.map((p, i) => [valuesKey(p.Values), i]));
      const notFound: string[][] = [];
      for (const input of inputs) {
        const i = index.get(valuesKey(input.Values));
        const old = i === undefined ? undefined : partitions[i];
        if (i === undefined || old === undefined) notFound.push([...input.Values]);
        else partitions[i] = { ...input, DatabaseName: db, TableName: name, CreationTime: old.CreationTime };
      }
      await writeJsonAtomic(this.partitionsFile(db, name), partitions);
      return { notFound };
    });
  }

  private async readPartitions(db: string, table: string): Promise<GluePartition[]> {
    const file = this.partitionsFile(db, table);
    return parseOptional(PartitionsRecordSchema, await readJsonFile(file), file) ?? [];
  }

  private async requireDatabase(database: string): Promise<string> {
    const db = normalise(database, 'database');
    if (!(await this.getDatabase(db))) throw new EntityNotFoundError(`Database ${db} not found.`);
    return db;
  }

  private async requireTable(database: string, table: string): Promise<{ db: string; name: string; keyCount: number }> {
    const db = await this.requireDatabase(database);
    const found = await this.getTable(db, table);
    if (!found) throw new EntityNotFoundError(`Table ${normalise(table, 'table')} not found in database ${db}.`);
    return { db, name: found.Name, keyCount: found.PartitionKeys.length };
  }

  private dbFile(db: string): string {
    return path.join(this.root, db, 'database.json');
  }

  private tableDir(db: string, table: string): string {
    return path.join(this.root, db, 'tables', table);
  }

  private tableFile(db: string, table: string): string {
    return path.join(this.tableDir(db, table), 'table.json');
  }

  private partitionsFile(db: string, table: string): string {
    return path.join(this.tableDir(db, table), 'partitions.json');
  }
}

/** Lower-cases a Glue name and checks it is a safe single path segment. */
function normalise(name: string, what: string): string {
  const lower = name.toLowerCase();
  if (!NAME.test(lower)) {
    throw new InvalidCatalogInputError(`Invalid ${what} name ${JSON.stringify(name)}: use 1-255 of [a-z0-9_-], not starting with '-'.`);
  }
  return lower;
}

function valuesKey(values: readonly string[]): string {
  return JSON.stringify(values);
}

function parseOptional<S extends z.ZodType>(schema: S, raw: unknown, file: string): z.infer<S> | undefined {
  if (raw === undefined) return undefined;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new InvalidCatalogInputError(`Catalog file ${file} is not a valid record: ${parsed.error.message}`);
  return parsed.data;
}

async function listDirs(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
}
