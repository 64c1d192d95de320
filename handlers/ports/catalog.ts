/**
 * The data catalog port, shaped after the Glue Data Catalog API (GetDatabases, GetTable, GetTables,
 * CreateTable, UpdateTable, GetPartitions, BatchCreatePartition).
 *
 * Field names are Glue's, so the local catalog and the Glue adapter carry the same objects and the
 * query engine resolves a table the same way on both. Locations are `s3://<bucket>/<prefix>/` URIs on
 * both realisations; locally a bucket `tributary-<zone>` is the folder `$TRIBUTARY_HOME/lake/<zone>`.
 */

/** A column: name and Hive/Glue type string (`bigint`, `string`, `struct<a:int>` …). */
export interface GlueColumn {
  readonly Name: string;
  readonly Type: string;
  readonly Comment?: string;
}

/** Where and how a table's or partition's files are stored. */
export interface GlueStorageDescriptor {
  readonly Columns: readonly GlueColumn[];
  readonly Location: string;
  readonly InputFormat?: string;
  readonly OutputFormat?: string;
  readonly Compressed?: boolean;
  readonly NumberOfBuckets?: number;
  readonly SerdeInfo?: {
    readonly SerializationLibrary?: string;
    readonly Parameters?: Readonly<Record<string, string>>;
  };
  readonly Parameters?: Readonly<Record<string, string>>;
}

/** A database: a namespace of tables. */
export interface GlueDatabase {
  readonly Name: string;
  readonly Description?: string;
  readonly LocationUri?: string;
  readonly CreateTime?: string;
}

/** A table definition as Glue stores it. `Parameters.classification` is `csv`, `json` or `parquet`. */
export interface GlueTable {
  readonly Name: string;
  readonly DatabaseName: string;
  readonly StorageDescriptor: GlueStorageDescriptor;
  readonly PartitionKeys: readonly GlueColumn[];
  readonly TableType: string;
  readonly Parameters: Readonly<Record<string, string>>;
  readonly CreateTime?: string;
  readonly UpdateTime?: string;
  /** Set for views (Presto/Trino view text), absent for tables. */
  readonly ViewOriginalText?: string;
  /** Version of this definition: '0' at creation, incremented by every UpdateTable (Glue keeps the old ones). */
  readonly VersionId?: string;
}

/** A partition: its values (ordered like the table's PartitionKeys) and own storage location. */
export interface GluePartition {
  readonly DatabaseName: string;
  readonly TableName: string;
  readonly Values: readonly string[];
  readonly StorageDescriptor: GlueStorageDescriptor;
  readonly Parameters?: Readonly<Record<string, string>>;
  readonly CreationTime?: string;
}

/** What a caller supplies to create or replace a table (Glue `TableInput`). */
export type GlueTableInput = Omit<GlueTable, 'DatabaseName' | 'CreateTime' | 'UpdateTime' | 'VersionId'>;

/** What a caller supplies to create a partition (Glue `PartitionInput`). */
export type GluePartitionInput = Omit<GluePartition, 'DatabaseName' | 'TableName' | 'CreationTime'>;

/**
 * Read and write the catalog. Missing objects resolve to `undefined` (Glue throws
 * EntityNotFoundException; adapters translate). Creating what exists throws `AlreadyExistsError`
 * from the adapter's error module.
 */
export interface CatalogPort {
  getDatabases(): Promise<GlueDatabase[]>;
  getDatabase(name: string): Promise<GlueDatabase | undefined>;
  createDatabase(input: GlueDatabase): Promise<void>;
  getTables(database: string): Promise<GlueTable[]>;
  getTable(database: string, name: string): Promise<GlueTable | undefined>;
  /**
   * One definition of a table by `VersionId` (Glue GetTableVersion): the current one or one that an
   * UpdateTable archived; undefined when the table or that version does not exist. `announce-crawl`
   * compares the table before and after a crawl with it.
   */
  getTableVersion(database: string, name: string, versionId: string): Promise<GlueTable | undefined>;
  createTable(database: string, input: GlueTableInput): Promise<void>;
  updateTable(database: string, input: GlueTableInput): Promise<void>;
  deleteTable(database: string, name: string): Promise<void>;
  getPartitions(database: string, table: string): Promise<GluePartition[]>;
  /** Creates partitions; values already present are reported back, not overwritten (Glue semantics). */
  batchCreatePartition(database: string, table: string, inputs: readonly GluePartitionInput[]): Promise<{ alreadyExists: string[][] }>;
  batchDeletePartition(database: string, table: string, values: readonly (readonly string[])[]): Promise<void>;
}
