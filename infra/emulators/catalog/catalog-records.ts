import { z } from 'zod';

/**
 * Zod schemas of the catalog's on-disk records, used to parse what is read back from disk (parse at
 * the boundary) so a hand-edited or foreign file fails with a clear reason instead of a bad object.
 * Unknown keys are kept, so fields written by a newer version survive a read-modify-write.
 */
const StringMap = z.record(z.string(), z.string());

const ColumnSchema = z.looseObject({ Name: z.string(), Type: z.string(), Comment: z.string().optional() });

const StorageDescriptorSchema = z.looseObject({
  Columns: z.array(ColumnSchema),
  Location: z.string(),
  InputFormat: z.string().optional(),
  OutputFormat: z.string().optional(),
  Compressed: z.boolean().optional(),
  NumberOfBuckets: z.number().optional(),
  SerdeInfo: z.looseObject({ SerializationLibrary: z.string().optional(), Parameters: StringMap.optional() }).optional(),
  Parameters: StringMap.optional(),
});

/** A stored database (`database.json`). */
export const DatabaseRecordSchema = z.looseObject({
  Name: z.string(),
  Description: z.string().optional(),
  LocationUri: z.string().optional(),
  CreateTime: z.string().optional(),
});

/** A stored table definition (`table.json` and each archived version). */
export const TableRecordSchema = z.looseObject({
  Name: z.string(),
  DatabaseName: z.string(),
  StorageDescriptor: StorageDescriptorSchema,
  PartitionKeys: z.array(ColumnSchema),
  TableType: z.string(),
  Parameters: StringMap,
  CreateTime: z.string().optional(),
  UpdateTime: z.string().optional(),
  ViewOriginalText: z.string().optional(),
  VersionId: z.string().optional(),
});

/** A stored table's partitions (`partitions.json`), in creation order. */
export const PartitionsRecordSchema = z.array(
  z.looseObject({
    DatabaseName: z.string(),
    TableName: z.string(),
    Values: z.array(z.string()),
    StorageDescriptor: StorageDescriptorSchema,
    Parameters: StringMap.optional(),
    CreationTime: z.string().optional(),
  }),
);
