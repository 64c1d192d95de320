import {
  BatchCreatePartitionCommand,
  BatchDeletePartitionCommand,
  CreateDatabaseCommand,
  CreateTableCommand,
  DeleteTableCommand,
  GetDatabaseCommand,
  GetDatabasesCommand,
  GetPartitionsCommand,
  GetTableCommand,
  GetTablesCommand,
  GetTableVersionCommand,
  UpdateTableCommand,
  type GlueClient,
  type TableInput,
} from '@aws-sdk/client-glue';
import type { CatalogPort, GlueDatabase, GluePartition, GluePartitionInput, GlueTable, GlueTableInput } from '../../../handlers/ports/catalog';
import { awsErrorCode } from './aws-error-code';
import { GlueCatalogError, translateGlueCatalogError } from './glue-errors';
import { isoOf, partitionOf, storageInput, tableOf } from './glue-shapes';

/** Glue's per-call limits: BatchCreatePartition takes ≤100 partitions, BatchDeletePartition ≤25. */
const CREATE_BATCH = 100;
const DELETE_BATCH = 25;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function tableInput(input: GlueTableInput): TableInput {
  return {
    Name: input.Name,
    TableType: input.TableType,
    Parameters: { ...input.Parameters },
    PartitionKeys: input.PartitionKeys.map((c) => ({ ...c })),
    StorageDescriptor: storageInput(input.StorageDescriptor),
    ...(input.ViewOriginalText === undefined ? {} : { ViewOriginalText: input.ViewOriginalText }),
  };
}

/**
 * The catalog port on the Glue Data Catalog. Reads of missing objects resolve to `undefined`
 * (`EntityNotFoundException` translated); writes raise GlueAlreadyExistsError / GlueEntityNotFoundError
 * named after Glue's exceptions, the same names the local catalog uses. Listings follow `NextToken`
 * to the end; partition batches are split to Glue's limits, and partitions that already exist are
 * reported back, never overwritten.
 */
export class GlueCatalog implements CatalogPort {
  constructor(private readonly client: GlueClient) {}

  async getDatabases(): Promise<GlueDatabase[]> {
    const out: GlueDatabase[] = [];
    let token: string | undefined;
    do {
      const page = await this.call('GetDatabases', () => this.client.send(new GetDatabasesCommand({ NextToken: token })));
      for (const d of page.DatabaseList ?? []) out.push(databaseOf(d));
      token = page.NextToken;
    } while (token);
    return out;
  }

  async getDatabase(name: string): Promise<GlueDatabase | undefined> {
    const out = await this.orUndefined(`GetDatabase ${name}`, () => this.client.send(new GetDatabaseCommand({ Name: name })));
    return out?.Database ? databaseOf(out.Database) : undefined;
  }

  async createDatabase(input: GlueDatabase): Promise<void> {
    const { Name, Description, LocationUri } = input;
    await this.call(`CreateDatabase ${Name}`, () => this.client.send(new CreateDatabaseCommand({ DatabaseInput: { Name, Description, LocationUri } })));
  }

  async getTables(database: string): Promise<GlueTable[]> {
    const out: GlueTable[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(`GetTables ${database}`, () => this.client.send(new GetTablesCommand({ DatabaseName: database, NextToken: token })));
      for (const t of page.TableList ?? []) out.push(tableOf(t, database));
      token = page.NextToken;
    } while (token);
    return out;
  }

  async getTable(database: string, name: string): Promise<GlueTable | undefined> {
    const out = await this.orUndefined(`GetTable ${database}.${name}`, () => this.client.send(new GetTableCommand({ DatabaseName: database, Name: name })));
    return out?.Table ? tableOf(out.Table, database) : undefined;
  }

  async getTableVersion(database: string, name: string, versionId: string): Promise<GlueTable | undefined> {
    const out = await this.orUndefined(`GetTableVersion ${database}.${name} ${versionId}`, () =>
      this.client.send(new GetTableVersionCommand({ DatabaseName: database, TableName: name, VersionId: versionId })),
    );
    const table = out?.TableVersion?.Table;
    return table ? tableOf({ ...table, VersionId: out?.TableVersion?.VersionId ?? table.VersionId }, database) : undefined;
  }

  async createTable(database: string, input: GlueTableInput): Promise<void> {
    await this.call(`CreateTable ${database}.${input.Name}`, () => this.client.send(new CreateTableCommand({ DatabaseName: database, TableInput: tableInput(input) })));
  }

  async updateTable(database: string, input: GlueTableInput): Promise<void> {
    await this.call(`UpdateTable ${database}.${input.Name}`, () => this.client.send(new UpdateTableCommand({ DatabaseName: database, TableInput: tableInput(input) })));
  }

  async deleteTable(database: string, name: string): Promise<void> {
    await this.call(`DeleteTable ${database}.${name}`, () => this.client.send(new DeleteTableCommand({ DatabaseName: database, Name: name })));
  }

  async getPartitions(database: string, table: string): Promise<GluePartition[]> {
    const out: GluePartition[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(`GetPartitions ${database}.${table}`, () => this.client.send(new GetPartitionsCommand({ DatabaseName: database, TableName: table, NextToken: token })));
      for (const p of page.Partitions ?? []) out.push(partitionOf(p, database, table));
      token = page.NextToken;
    } while (token);
    return out;
  }

  async batchCreatePartition(database: string, table: string, inputs: readonly GluePartitionInput[]): Promise<{ alreadyExists: string[][] }> {
    const alreadyExists: string[][] = [];
    for (const chunk of chunks(inputs, CREATE_BATCH)) {
      const PartitionInputList = chunk.map((p) => ({ Values: [...p.Values], StorageDescriptor: storageInput(p.StorageDescriptor), ...(p.Parameters === undefined ? {} : { Parameters: { ...p.Parameters } }) }));
      const out = await this.call(`BatchCreatePartition ${database}.${table}`, () => this.client.send(new BatchCreatePartitionCommand({ DatabaseName: database, TableName: table, PartitionInputList })));
      for (const error of out.Errors ?? []) {
        const code = error.ErrorDetail?.ErrorCode ?? 'UnknownError';
        if (code !== 'AlreadyExistsException') {
          throw new GlueCatalogError(`BatchCreatePartition ${database}.${table} failed for ${JSON.stringify(error.PartitionValues)}: ${code}: ${error.ErrorDetail?.ErrorMessage ?? ''}`, {
            code,
            retryable: code === 'InternalServiceException' || code === 'OperationTimeoutException',
          });
        }
        alreadyExists.push(error.PartitionValues ?? []);
      }
    }
    return { alreadyExists };
  }

  async batchDeletePartition(database: string, table: string, values: readonly (readonly string[])[]): Promise<void> {
    for (const chunk of chunks(values, DELETE_BATCH)) {
      const out = await this.call(`BatchDeletePartition ${database}.${table}`, () =>
        this.client.send(new BatchDeletePartitionCommand({ DatabaseName: database, TableName: table, PartitionsToDelete: chunk.map((v) => ({ Values: [...v] })) })),
      );
      const failed = (out.Errors ?? []).filter((e) => e.ErrorDetail?.ErrorCode !== 'EntityNotFoundException');
      const first = failed[0];
      if (first) {
        const code = first.ErrorDetail?.ErrorCode ?? 'UnknownError';
        throw new GlueCatalogError(`BatchDeletePartition ${database}.${table} failed for ${failed.length} partition(s), first ${JSON.stringify(first.PartitionValues)}: ${code}`, { code, retryable: code === 'InternalServiceException' || code === 'OperationTimeoutException' });
      }
    }
  }

  private async call<T>(what: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw translateGlueCatalogError(error, what);
    }
  }

  private async orUndefined<T>(what: string, send: () => Promise<T>): Promise<T | undefined> {
    try {
      return await send();
    } catch (error) {
      if (awsErrorCode(error) === 'EntityNotFoundException') return undefined;
      throw translateGlueCatalogError(error, what);
    }
  }
}

function databaseOf(d: { Name?: string; Description?: string; LocationUri?: string; CreateTime?: Date }): GlueDatabase {
  return {
    Name: d.Name ?? '',
    ...(d.Description === undefined ? {} : { Description: d.Description }),
    ...(d.LocationUri === undefined ? {} : { LocationUri: d.LocationUri }),
    ...(d.CreateTime === undefined ? {} : { CreateTime: isoOf(d.CreateTime) }),
  };
}
