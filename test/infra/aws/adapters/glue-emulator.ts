import {
  AlreadyExistsException,
  BatchCreatePartitionCommand,
  BatchDeletePartitionCommand,
  CrawlerRunningException,
  CreateCrawlerCommand,
  CreateDatabaseCommand,
  CreateTableCommand,
  DeleteTableCommand,
  EntityNotFoundException,
  GetCrawlerCommand,
  GetDatabaseCommand,
  GetDatabasesCommand,
  GetPartitionsCommand,
  GetTableCommand,
  GetTablesCommand,
  GetTableVersionCommand,
  GlueClient,
  InvalidInputException,
  StartCrawlerCommand,
  UpdateTableCommand,
  type Crawler,
  type CreateCrawlerCommandInput,
  type Partition,
  type PartitionInput,
  type Table,
  type TableInput,
} from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';

interface Db {
  readonly Name: string;
  readonly Description?: string;
  readonly CreateTime: Date;
  readonly tables: Map<string, { table: Table; partitions: Map<string, Partition>; versions: Map<string, Table> }>;
}

const meta = { $metadata: { httpStatusCode: 400 } };
const notFound = (message: string): EntityNotFoundException => new EntityNotFoundException({ message, ...meta });
const exists = (message: string): AlreadyExistsException => new AlreadyExistsException({ message, ...meta });

/** Serves `items` one page of `size` at a time with an opaque NextToken, as Glue's listings do. */
function page<T>(items: readonly T[], token: string | undefined, size: number): { items: T[]; NextToken?: string } {
  const start = token === undefined ? 0 : Number(token.slice('page-'.length));
  const next = start + size;
  return { items: items.slice(start, next), ...(next < items.length ? { NextToken: `page-${next}` } : {}) };
}

/**
 * Test double of AWS Glue (Data Catalog and crawlers) behind `aws-sdk-client-mock`, for the calls the
 * Glue adapters make, with Glue's behaviour: names lower-cased, `AlreadyExistsException` /
 * `EntityNotFoundException`, UpdateTable keeping CreateTime and bumping VersionId, DeleteTable taking
 * its partitions, BatchCreatePartition/BatchDeletePartition reporting per-partition errors, listings
 * paged (one item per page here, so NextToken is exercised); crawlers READY → RUNNING → READY, with
 * `CrawlerRunningException` when started while not READY. A run ends when the test calls `finishRun`.
 */
export class GlueEmulator {
  readonly client = new GlueClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  readonly crawlers = new Map<string, Crawler>();
  private readonly dbs = new Map<string, Db>();
  private readonly mock = mockClient(this.client);

  constructor(private readonly pageSize = 1) {
    const m = this.mock;
    m.on(CreateDatabaseCommand).callsFake(({ DatabaseInput }) => {
      const name = String(DatabaseInput?.Name).toLowerCase();
      if (this.dbs.has(name)) throw exists('Database already exists.');
      this.dbs.set(name, { Name: name, Description: DatabaseInput?.Description, CreateTime: new Date(), tables: new Map() });
      return {};
    });
    m.on(GetDatabaseCommand).callsFake(({ Name }) => ({ Database: this.publicDb(this.db(Name)) }));
    m.on(GetDatabasesCommand).callsFake(({ NextToken }) => {
      const p = page([...this.dbs.values()].map((d) => this.publicDb(d)), NextToken, this.pageSize);
      return { DatabaseList: p.items, NextToken: p.NextToken };
    });
    m.on(CreateTableCommand).callsFake(({ DatabaseName, TableInput }) => this.createTable(String(DatabaseName), TableInput));
    m.on(GetTableCommand).callsFake(({ DatabaseName, Name }) => ({ Table: this.entry(String(DatabaseName), String(Name)).table }));
    m.on(GetTablesCommand).callsFake(({ DatabaseName, NextToken }) => {
      const p = page([...this.db(DatabaseName).tables.values()].map((e) => e.table), NextToken, this.pageSize);
      return { TableList: p.items, NextToken: p.NextToken };
    });
    m.on(UpdateTableCommand).callsFake(({ DatabaseName, TableInput }) => {
      const e = this.entry(String(DatabaseName), String(TableInput?.Name));
      e.versions.set(String(e.table.VersionId), e.table);
      e.table = { ...TableInput, Name: e.table.Name, DatabaseName: e.table.DatabaseName, CreateTime: e.table.CreateTime, UpdateTime: new Date(), VersionId: String(Number(e.table.VersionId) + 1) };
      return {};
    });
    m.on(GetTableVersionCommand).callsFake(({ DatabaseName, TableName, VersionId }) => {
      const e = this.entry(String(DatabaseName), String(TableName));
      const table = e.table.VersionId === VersionId ? e.table : e.versions.get(String(VersionId));
      if (!table) throw notFound(`Version ${String(VersionId)} of table ${String(TableName)} not found.`);
      return { TableVersion: { Table: table, VersionId: table.VersionId } };
    });
    m.on(DeleteTableCommand).callsFake(({ DatabaseName, Name }) => {
      this.entry(String(DatabaseName), String(Name));
      this.db(DatabaseName).tables.delete(String(Name).toLowerCase());
      return {};
    });
    m.on(GetPartitionsCommand).callsFake(({ DatabaseName, TableName, NextToken }) => {
      const p = page([...this.entry(String(DatabaseName), String(TableName)).partitions.values()], NextToken, this.pageSize);
      return { Partitions: p.items, NextToken: p.NextToken };
    });
    m.on(BatchCreatePartitionCommand).callsFake(({ DatabaseName, TableName, PartitionInputList }) => this.createPartitions(String(DatabaseName), String(TableName), PartitionInputList ?? []));
    m.on(BatchDeletePartitionCommand).callsFake(({ DatabaseName, TableName, PartitionsToDelete }) => {
      if ((PartitionsToDelete ?? []).length > 25) throw new InvalidInputException({ message: 'PartitionsToDelete must have at most 25 members', ...meta });
      const e = this.entry(String(DatabaseName), String(TableName));
      const Errors = [];
      for (const { Values } of PartitionsToDelete ?? []) {
        if (!e.partitions.delete(JSON.stringify(Values))) Errors.push({ PartitionValues: Values, ErrorDetail: { ErrorCode: 'EntityNotFoundException', ErrorMessage: 'Partition not found.' } });
      }
      return { Errors };
    });
    m.on(CreateCrawlerCommand).callsFake((input: CreateCrawlerCommandInput) => {
      if (!input.Role) throw new InvalidInputException({ message: 'Role is required', ...meta });
      if (this.crawlers.has(String(input.Name))) throw exists(`${input.Name} already exists`);
      const now = new Date();
      const { Name, Role, DatabaseName, Targets, TablePrefix, SchemaChangePolicy, RecrawlPolicy, Configuration } = input;
      this.crawlers.set(String(Name), { Name, Role, DatabaseName, Targets, TablePrefix, SchemaChangePolicy, RecrawlPolicy, Configuration, State: 'READY', CreationTime: now, LastUpdated: now, CrawlElapsedTime: 0, Version: 1 });
      return {};
    });
    m.on(GetCrawlerCommand).callsFake(({ Name }) => ({ Crawler: this.crawler(String(Name)) }));
    m.on(StartCrawlerCommand).callsFake(({ Name }) => {
      const c = this.crawler(String(Name));
      if (c.State !== 'READY') throw new CrawlerRunningException({ message: `Crawler with name ${Name} has already started`, ...meta });
      this.crawlers.set(String(Name), { ...c, State: 'RUNNING', CrawlElapsedTime: 1, LastCrawl: c.LastCrawl });
      return {};
    });
  }

  /** Ends the crawler's current run as Glue does: READY, LastCrawl SUCCEEDED with its start time. */
  finishRun(name: string): void {
    const c = this.crawler(name);
    if (c.State !== 'RUNNING') throw new Error(`emulator: crawler ${name} is not running`);
    this.crawlers.set(name, { ...c, State: 'READY', CrawlElapsedTime: 0, LastCrawl: { Status: 'SUCCEEDED', StartTime: new Date(), LogGroup: '/aws-glue/crawlers', LogStream: name } });
  }

  restore(): void {
    this.mock.restore();
  }

  private publicDb(d: Db): { Name: string; Description?: string; CreateTime: Date } {
    return { Name: d.Name, Description: d.Description, CreateTime: d.CreateTime };
  }

  private db(name: string | undefined): Db {
    const d = this.dbs.get(String(name).toLowerCase());
    if (!d) throw notFound(`Database ${name} not found.`);
    return d;
  }

  private entry(database: string, table: string): { table: Table; partitions: Map<string, Partition>; versions: Map<string, Table> } {
    const e = this.db(database).tables.get(table.toLowerCase());
    if (!e) throw notFound(`Table ${table} not found.`);
    return e;
  }

  private crawler(name: string): Crawler {
    const c = this.crawlers.get(name);
    if (!c) throw notFound(`Crawler entry with name ${name} does not exist`);
    return c;
  }

  private createTable(database: string, input: TableInput | undefined): Record<string, never> {
    const d = this.db(database);
    const name = String(input?.Name).toLowerCase();
    if (d.tables.has(name)) throw exists('Table already exists.');
    const now = new Date();
    d.tables.set(name, { table: { ...input, Name: name, DatabaseName: d.Name, CreateTime: now, UpdateTime: now, VersionId: '0' }, partitions: new Map(), versions: new Map() });
    return {};
  }

  private createPartitions(database: string, table: string, inputs: readonly PartitionInput[]): { Errors: unknown[] } {
    if (inputs.length > 100) throw new InvalidInputException({ message: 'PartitionInputList must have at most 100 members', ...meta });
    const e = this.entry(database, table);
    const Errors = [];
    for (const p of inputs) {
      const key = JSON.stringify(p.Values);
      if (e.partitions.has(key)) Errors.push({ PartitionValues: p.Values, ErrorDetail: { ErrorCode: 'AlreadyExistsException', ErrorMessage: 'Partition already exists.' } });
      else e.partitions.set(key, { ...p, DatabaseName: this.db(database).Name, TableName: String(e.table.Name), CreationTime: new Date() });
    }
    return { Errors };
  }
}
