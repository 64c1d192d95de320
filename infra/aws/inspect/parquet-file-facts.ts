import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { parquetMetadata, parquetReadObjects, parquetSchema, type Compressors, type FileMetaData, type SchemaElement } from 'hyparquet';
import { ConfigurationError } from '../../../contracts/configuration-error';
import type { DatasetManifest } from '../../../contracts/dataset-manifest';
import type { RawFileFacts } from '../../../handlers/ports/raw-file-inspector';
import { SchemaDriftError } from '../../../handlers/stage-kit/declared-columns';
import { PoisonInputError } from '../../../handlers/stage-kit/stage-error';
import { kindFits, RecordTally, valueKind } from './record-tally';

/** Codecs beyond hyparquet's own (uncompressed, Snappy) that Node's zlib decodes. ZSTD and LZ4 are not among them. */
const COMPRESSORS: Compressors = {
  GZIP: (input) => new Uint8Array(gunzipSync(input)),
  BROTLI: (input) => new Uint8Array(brotliDecompressSync(input)),
};

/** A top-level column's type as DuckDB names it (what the DuckDB inspector reports), from the footer's schema element. */
function duckDbType(e: SchemaElement): string {
  const logical = e.logical_type?.type;
  const converted = e.converted_type;
  if (logical === 'DECIMAL' || converted === 'DECIMAL') return `DECIMAL(${e.precision ?? 18},${e.scale ?? 0})`;
  if (logical === 'DATE' || converted === 'DATE') return 'DATE';
  if (logical === 'TIMESTAMP' || converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS' || e.type === 'INT96') return 'TIMESTAMP';
  if (logical === 'TIME' || converted === 'TIME_MILLIS' || converted === 'TIME_MICROS') return 'TIME';
  if (logical === 'STRING' || logical === 'ENUM' || logical === 'JSON' || logical === 'UUID' || converted === 'UTF8' || converted === 'ENUM' || converted === 'JSON') return 'VARCHAR';
  if (e.num_children !== undefined && e.num_children > 0) return logical === 'LIST' || converted === 'LIST' ? 'LIST' : logical === 'MAP' || converted === 'MAP' ? 'MAP' : 'STRUCT';
  switch (e.type) {
    case 'BOOLEAN':
      return 'BOOLEAN';
    case 'INT32':
      return 'INTEGER';
    case 'INT64':
      return 'BIGINT';
    case 'FLOAT':
      return 'FLOAT';
    case 'DOUBLE':
      return 'DOUBLE';
    default:
      return 'BLOB';
  }
}

/** The kind of a column's values for the declared-type check: integer, number, string, boolean, or other. */
function columnKind(type: string): string {
  if (type === 'INTEGER' || type === 'BIGINT') return 'integer';
  if (type === 'FLOAT' || type === 'DOUBLE' || type.startsWith('DECIMAL')) return 'number';
  if (type === 'VARCHAR' || type === 'DATE' || type === 'TIMESTAMP' || type === 'TIME') return 'string';
  if (type === 'BOOLEAN') return 'boolean';
  return 'other';
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * A Parquet file read in pure JavaScript with hyparquet: the row count from its footer, its top-level
 * columns with DuckDB's type names, the declared types (a column of another kind is read and its
 * first value that the declared type does not take named, as the DuckDB inspector does) and the
 * event-time range from the event-time column alone (a DATE or TIMESTAMP column as it is, text or
 * numbers with the manifest's format). Not Parquet, or an unreadable column, is poison
 * (`a.parquet is not valid Parquet: …`); a column compressed with a codec this reader lacks (ZSTD,
 * LZ4) is a ConfigurationError: the file stays in raw and its run fails with an alert.
 */
export async function parquetFileFacts(key: string, body: Buffer, manifest: DatasetManifest): Promise<RawFileFacts> {
  // hyparquet reads an ArrayBuffer; a Buffer's may be a pooled or shared one, so the bytes are copied once.
  const file = new ArrayBuffer(body.byteLength);
  new Uint8Array(file).set(body);
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(file);
  } catch (err) {
    throw new PoisonInputError(`${key} is not valid Parquet: ${message(err)}`, { cause: err });
  }
  const columns = parquetSchema(metadata).children.map((c) => ({ name: c.element.name, type: duckDbType(c.element) }));
  const records = Number(metadata.num_rows);
  if (records === 0) throw new PoisonInputError(`file has no records: ${key}`);
  const read = async (column: string): Promise<unknown[]> => {
    try {
      return (await parquetReadObjects({ file, metadata, columns: [column], compressors: COMPRESSORS })).map((row) => row[column]);
    } catch (err) {
      if (/compression|codec/i.test(message(err))) {
        throw new ConfigurationError(`sql/${manifest.name}/manifest.json`, undefined, `${key}: column ${column} is compressed with a codec register-landing on AWS cannot read (${message(err)}); write the dataset's Parquet with Snappy, gzip or no compression (the file stays in raw)`, { cause: err });
      }
      throw new PoisonInputError(`${key} is not valid Parquet: column ${column}: ${message(err)}`, { cause: err });
    }
  };
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  for (const [name, declared] of Object.entries(manifest.raw.columns ?? {})) {
    const column = byName.get(name.toLowerCase());
    if (column === undefined || kindFits(declared, columnKind(column.type))) continue;
    const wholeOnly = declared === 'integer' && columnKind(column.type) === 'number';
    const values = await read(column.name);
    const at = values.findIndex((v) => v !== null && v !== undefined && (!wholeOnly || !Number.isInteger(Number(v))));
    if (at === -1) continue;
    const value = values[at];
    const found = wholeOnly ? 'number' : columnKind(column.type) === 'other' ? column.type.toLowerCase() : valueKind(value);
    throw new SchemaDriftError(key, manifest.name, [{ column: column.name, declared, found: `${found} (record ${at + 1}: ${String(value).slice(0, 40)})` }], columns.map((c) => c.name));
  }
  const tally = new RecordTally(key, manifest);
  const time = byName.get(manifest.eventTime.column.toLowerCase());
  if (time) for (const value of await read(time.name)) tally.time(value);
  return tally.facts({ records, columns });
}
