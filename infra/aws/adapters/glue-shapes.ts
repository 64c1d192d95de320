import type { Column, Partition, StorageDescriptor, Table } from '@aws-sdk/client-glue';
import type { GlueColumn, GluePartition, GlueStorageDescriptor, GlueTable } from '../../../handlers/ports/catalog';

/** An SDK timestamp as the port's ISO text. */
export function isoOf(date: Date | undefined): string | undefined {
  return date === undefined ? undefined : date.toISOString();
}

function columnOf(c: Column): GlueColumn {
  return { Name: c.Name ?? '', Type: c.Type ?? '', ...(c.Comment === undefined ? {} : { Comment: c.Comment }) };
}

/** The SDK's StorageDescriptor as the port's (missing columns and location become empty). */
export function storageOf(sd: StorageDescriptor | undefined): GlueStorageDescriptor {
  return {
    Columns: (sd?.Columns ?? []).map(columnOf),
    Location: sd?.Location ?? '',
    ...(sd?.InputFormat === undefined ? {} : { InputFormat: sd.InputFormat }),
    ...(sd?.OutputFormat === undefined ? {} : { OutputFormat: sd.OutputFormat }),
    ...(sd?.Compressed === undefined ? {} : { Compressed: sd.Compressed }),
    ...(sd?.NumberOfBuckets === undefined ? {} : { NumberOfBuckets: sd.NumberOfBuckets }),
    ...(sd?.SerdeInfo === undefined ? {} : { SerdeInfo: { SerializationLibrary: sd.SerdeInfo.SerializationLibrary, Parameters: sd.SerdeInfo.Parameters } }),
    ...(sd?.Parameters === undefined ? {} : { Parameters: sd.Parameters }),
  };
}

/** The SDK's Table as the port's GlueTable. */
export function tableOf(t: Table, database: string): GlueTable {
  return {
    Name: t.Name ?? '',
    DatabaseName: t.DatabaseName ?? database,
    StorageDescriptor: storageOf(t.StorageDescriptor),
    PartitionKeys: (t.PartitionKeys ?? []).map(columnOf),
    TableType: t.TableType ?? '',
    Parameters: t.Parameters ?? {},
    ...(t.CreateTime === undefined ? {} : { CreateTime: isoOf(t.CreateTime) }),
    ...(t.UpdateTime === undefined ? {} : { UpdateTime: isoOf(t.UpdateTime) }),
    ...(t.ViewOriginalText === undefined ? {} : { ViewOriginalText: t.ViewOriginalText }),
    ...(t.VersionId === undefined ? {} : { VersionId: t.VersionId }),
  };
}

/** The SDK's Partition as the port's GluePartition. */
export function partitionOf(p: Partition, database: string, table: string): GluePartition {
  return {
    DatabaseName: p.DatabaseName ?? database,
    TableName: p.TableName ?? table,
    Values: p.Values ?? [],
    StorageDescriptor: storageOf(p.StorageDescriptor),
    ...(p.Parameters === undefined ? {} : { Parameters: p.Parameters }),
    ...(p.CreationTime === undefined ? {} : { CreationTime: isoOf(p.CreationTime) }),
  };
}

/** The port's storage descriptor as the SDK's input (copies, so readonly arrays become mutable). */
export function storageInput(sd: GlueStorageDescriptor): StorageDescriptor {
  return {
    ...sd,
    Columns: sd.Columns.map((c) => ({ ...c })),
    ...(sd.SerdeInfo === undefined ? {} : { SerdeInfo: { ...sd.SerdeInfo, Parameters: sd.SerdeInfo.Parameters === undefined ? undefined : { ...sd.SerdeInfo.Parameters } } }),
    ...(sd.Parameters === undefined ? {} : { Parameters: { ...sd.Parameters } }),
  };
}
