import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { openBoundedDuckDb, type DuckDbResources } from '../../emulators/duckdb/bounded-duckdb';
import { csvOptions, type DatasetManifest, type RawFormat } from '../../../contracts/dataset-manifest';
import type { RawFileFacts, RawFileInspector } from '../../../handlers/ports/raw-file-inspector';
import { eventTimeDuckDbSql } from '../../../handlers/stage-kit/event-time-sql';
import { DependencyError, PoisonInputError } from '../../../handlers/stage-kit/stage-error';
import { SchemaDriftError } from '../../../handlers/stage-kit/declared-columns';
import { checkRawKey, RAW_FORMAT_NAMES } from '../../../handlers/stage-kit/raw-file-kinds';

const FORMAT_NAMES = RAW_FORMAT_NAMES;

type DeclaredType = 'string' | 'number' | 'integer' | 'boolean';

const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT']);
const NUMBER_TYPES = new Set(['FLOAT', 'DOUBLE']);
const TEXT_TYPES = new Set(['VARCHAR', 'DATE', 'TIME', 'UUID']);
/** The JSON value types (DuckDB's `json_type`) each declared type takes. */
const JSON_TYPES: Record<DeclaredType, readonly string[]> = { integer: ['BIGINT', 'UBIGINT'], number: ['BIGINT', 'UBIGINT', 'DOUBLE'], boolean: ['BOOLEAN'], string: ['VARCHAR'] };
const JSON_WORDS: Readonly<Record<string, string>> = { BIGINT: 'integer', UBIGINT: 'integer', DOUBLE: 'number', VARCHAR: 'string', BOOLEAN: 'boolean', ARRAY: 'array', OBJECT: 'object' };

/** The inspectors' DuckDB unless configured: 128MB, one thread (a landed file is small, and inspected whole). */
export const DEFAULT_INSPECTOR_RESOURCES: DuckDbResources = { memoryLimit: '128MB', threads: 1 };

let shared: Promise<DuckDBInstance> | undefined;

/** An in-memory DuckDB with these resources, started on first use; a failed start is retried on the next call. */
function lazyDuckDb(resources: DuckDbResources): () => Promise<DuckDBInstance> {
  let instance: Promise<DuckDBInstance> | undefined;
  return () => {
    instance ??= openBoundedDuckDb(resources).catch((err: unknown) => {
      instance = undefined;
      throw new DependencyError(`DuckDB, which inspects landed files, cannot start: ${firstLine(err)}`, { retryable: true, cause: err });
    });
    return instance;
  };
}

/** One DuckDB (default resources) for the inspections of the process that name no inspector (a connection each). */
function duckDb(): Promise<DuckDBInstance> {
  shared ??= lazyDuckDb(DEFAULT_INSPECTOR_RESOURCES)().catch((err: unknown) => {
    shared = undefined;
    throw err;
  });
  return shared;
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const quoteText = (text: string): string => `'${text.replace(/'/g, "''")}'`;
const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]?.trim() ?? '';

function baseType(type: string): string {
  return type.replace(/\(.*$/, '').trim().toUpperCase();
}

/**
 * Whether a column DuckDB read as `type` holds the declared type's values: `yes`, or `check` (value by
 * value: mixed JSON values, whole numbers read as DOUBLE, a column of another type whose values are all NULL).
 */
function fits(declared: DeclaredType, type: string, format: RawFormat): 'yes' | 'check' {
  const t = baseType(type);
  if (declared === 'string') return format === 'csv' || TEXT_TYPES.has(t) || t.startsWith('TIMESTAMP') ? 'yes' : 'check';
  if (declared === 'boolean') return t === 'BOOLEAN' ? 'yes' : 'check';
  if (declared === 'integer') return INTEGER_TYPES.has(t) ? 'yes' : 'check';
  return INTEGER_TYPES.has(t) || NUMBER_TYPES.has(t) || t === 'DECIMAL' ? 'yes' : 'check';
}

/** The SQL predicate true for a value of `column` (read as `type`) that the declared type does not take. */
function misfit(declared: DeclaredType, column: string, type: string): string {
  const t = baseType(type);
  if (t === 'JSON') return `json_type(${column}) NOT IN ('NULL', ${JSON_TYPES[declared].map(quoteText).join(', ')})`;
  if (declared === 'integer' && (NUMBER_TYPES.has(t) || t === 'DECIMAL')) return `${column} <> trunc(${column})`;
  return `${column} IS NOT NULL`;
}

function describeType(type: string): string {
  const t = baseType(type);
  if (INTEGER_TYPES.has(t)) return 'integer';
  if (NUMBER_TYPES.has(t) || t === 'DECIMAL') return 'number';
  if (t === 'VARCHAR') return 'string';
  return t.toLowerCase();
}

/** The largest JSON object DuckDB's reader may meet (its buffers are twice this, within the memory limit). */
const MAX_OBJECT_BYTES = 256 * 1024 * 1024;

/**
 * The largest object a landed file can hold: no more than the file's text (a gzip member's size is
 * in its last 4 bytes), at least 1 MiB and at most 256 MiB; so a small file does not make DuckDB's
 * JSON reader reserve buffers for 256 MiB objects.
 */
function maxObjectBytes(key: string, body: Buffer): number {
  const text = key.toLowerCase().endsWith('.gz') && body.length >= 4 ? Math.max(body.length, body.readUInt32LE(body.length - 4)) : body.length;
  return Math.min(MAX_OBJECT_BYTES, Math.max(1024 * 1024, text + 1));
}

/** The DuckDB table function that reads the file as Athena reads the format, with column types forced by `types`. */
function readerSql(file: string, manifest: DatasetManifest, objectBytes: number, types?: ReadonlyMap<string, string>): string {
  const format = manifest.raw.format;
  if (format === 'parquet') return `read_parquet(${quoteText(file)}, hive_partitioning = false)`;
  if (format === 'csv') {
    const csv = csvOptions(manifest);
    const forced = types && types.size > 0 ? `, types = {${[...types].map(([n, t]) => `${quoteText(n)}: ${quoteText(t)}`).join(', ')}}` : '';
    return `read_csv(${quoteText(file)}, header = ${csv.header}, delim = ${quoteText(csv.delimiter)}, quote = ${quoteText(csv.quote)}, escape = ${quoteText(csv.escape)}, hive_partitioning = false${forced})`;
  }
  const columns = types && types.size > 0 ? `, columns = {${[...types].map(([n, t]) => `${quoteText(n)}: ${quoteText(t)}`).join(', ')}}` : '';
  // JSON lines are read with DuckDB's default largest object, as the query engine reads the raw table:
  // a line too long for it would fail the refine, so its file is quarantined here. A larger limit
  // costs every scan time (about 0.25 s on a 92 MB file): DuckDB sizes its read buffers by it. A
  // JSON array file gets a limit sized to the file (bounded), not a fixed 256 MiB buffer.
  const limit = format === 'json' ? `, maximum_object_size = ${objectBytes}` : '';
  return `read_json(${quoteText(file)}, format = '${format === 'json' ? 'array' : 'newline_delimited'}', records = true, hive_partitioning = false${limit}${columns})`;
}

/** The name the catalog gives a column DuckDB read (lowercased as Glue does; `col<i>` for a CSV without header). */
function catalogName(name: string, index: number, manifest: DatasetManifest): string {
  return manifest.raw.format === 'csv' && !csvOptions(manifest).header ? `col${index}` : name.toLowerCase();
}

/** Runs a query on the file; a DuckDB error reading it is poison (the file is not what the dataset declares), memory exhaustion retryable. */
async function read(connection: DuckDBConnection, sql: string, key: string, format: RawFormat, file: string): Promise<unknown[][]> {
  try {
    return (await connection.runAndReadAll(sql)).getRowsJson();
  } catch (err) {
    // DuckDB names the temporary copy; the reader of the message knows the key.
    const message = firstLine(err).replace(/^Error: /, '').split(`"${file}"`).join(key).split(`'${file}'`).join(key).split(file).join(key);
    if (/out of memory/i.test(message)) throw new DependencyError(`inspecting ${key} ran out of memory: ${message}`, { retryable: true, cause: err });
    // DuckDB's line numbers in malformed JSON lines run one past the line at fault: name the line itself.
    const malformed = format === 'jsonl' && /Malformed JSON/.test(message) ? await firstMalformedLine(file) : undefined;
    if (malformed) throw new PoisonInputError(`${key} is not valid JSON lines: line ${malformed.line} is not valid JSON (${malformed.reason})`, { cause: err });
    const unreadable = await unreadableBytes(file, format);
    if (unreadable !== undefined) throw new PoisonInputError(`${key} is not valid ${FORMAT_NAMES[format]}: ${unreadable}`, { cause: err });
    throw new PoisonInputError(`${key} is not valid ${FORMAT_NAMES[format]}: ${message}`, { cause: err });
  }
}

/**
 * Why a text file's bytes cannot be its format at all, said plainly where DuckDB only says it cannot
 * sniff or parse them: a `.gz` that does not decompress (truncated, not gzip), or binary data (a NUL
 * byte); undefined otherwise. Read only after DuckDB failed, so a good file pays nothing.
 */
async function unreadableBytes(file: string, format: RawFormat): Promise<string | undefined> {
  if (format === 'parquet') return undefined;
  let bytes = await fs.readFile(file);
  if (file.toLowerCase().endsWith('.gz')) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      return `not valid gzip (${firstLine(err).replace(/^Error: /, '')})`;
    }
  }
  const nul = bytes.indexOf(0);
  return nul === -1 ? undefined : `it holds binary data (a NUL byte at byte ${nul})`;
}

/** The first line of a (gzip or plain) JSON-lines file that does not parse, with JavaScript's reason; undefined when every line parses. */
async function firstMalformedLine(file: string): Promise<{ line: number; reason: string } | undefined> {
  const raw = await fs.readFile(file);
  const text = (file.toLowerCase().endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    try {
      JSON.parse(line);
    } catch (err) {
      return { line: i + 1, reason: err instanceof Error ? err.message : String(err) };
    }
  }
  return undefined;
}

/**
 * Checks a landed file against its dataset before anything else touches it, and measures it, with
 * DuckDB reading it as Athena's table for the format would (JSON lines, a JSON array of objects, CSV
 * with the manifest's header/delimiter/quote/escape, Parquet; text formats also gzip-compressed
 * `.gz`): the record count, the range of its event times parsed with the manifest's format
 * (`eventTimeDuckDbSql`, the DuckDB twin of the refine's `eventTimeSql`), and the declared column types.
 * The body is written to a temporary file for DuckDB (the object store hands over bytes).
 *
 * Poison (the file is quarantined whole, with this reason): an unsupported extension, an empty file,
 * a file DuckDB cannot read as the format (malformed JSON, a line that is not an object, not Parquet),
 * a file with no records. A value whose type differs from the manifest's declared column type is a
 * SchemaDriftError (`schema`: it would change the crawled schema for every other file). Row-level problems (a missing value, an
 * unparsable time) are not poison: those rows go to the rejects table at refine.
 */
export async function inspectWithDuckDb(key: string, body: Buffer, manifest: DatasetManifest, instance: () => Promise<DuckDBInstance> = duckDb): Promise<RawFileFacts> {
  checkRawKey(key, body, manifest);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-inspect-'));
  const file = path.join(dir, path.basename(key));
  const connection = await (await instance()).connect();
  try {
    await fs.writeFile(file, body);
    await connection.run(`SET TimeZone = 'UTC'`);
    return await inspectFile(connection, key, file, manifest, maxObjectBytes(key, body));
  } finally {
    connection.closeSync();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function inspectFile(connection: DuckDBConnection, key: string, file: string, manifest: DatasetManifest, objectBytes: number): Promise<RawFileFacts> {
  const format = manifest.raw.format;
  const described = (await read(connection, `DESCRIBE SELECT * FROM ${readerSql(file, manifest, objectBytes)}`, key, format, file)).map(([name, type], i) => {
    const n = String(name);
    return { name: n, type: String(type), catalog: catalogName(n, i, manifest) };
  });
  const byCatalogName = new Map(described.map((c) => [c.catalog, c]));
  for (const [name, declared] of Object.entries(manifest.raw.columns ?? {})) {
    const column = byCatalogName.get(name.toLowerCase());
    if (column === undefined || fits(declared, column.type, format) === 'yes') continue;
    const isJson = baseType(column.type) === 'JSON';
    const sql = `SELECT record, CAST(value AS VARCHAR), ${isJson ? 'json_type(value)' : 'NULL'} FROM (SELECT row_number() OVER () AS record, ${quoteIdent(column.name)} AS value FROM ${readerSql(file, manifest, objectBytes)}) WHERE ${misfit(declared, 'value', column.type)} LIMIT 1`;
    const [offending] = await read(connection, sql, key, format, file);
    if (offending === undefined) continue;
    const [record, value, jsonType] = offending;
    const got = typeof jsonType === 'string' ? JSON_WORDS[jsonType] ?? jsonType.toLowerCase() : describeType(column.type);
    // A declared column of another type is a schema change: the file is set aside as `schema`, before any row is refined.
    throw new SchemaDriftError(key, manifest.name, [{ column: column.name, declared, found: `${got} (record ${String(record)}: ${String(value).slice(0, 40)})` }], described.map((c) => c.name));
  }
  const timeColumn = byCatalogName.get(manifest.eventTime.column);
  // The event-time column is read as text (Parquet keeps its type): DuckDB's date detection must not
  // pick a pattern of its own for it; the manifest's format alone parses it.
  const asText = format === 'parquet' || timeColumn === undefined
    ? undefined
    : new Map(format === 'csv' ? [[timeColumn.name, 'VARCHAR']] : described.map((c) => [c.name, c === timeColumn ? 'VARCHAR' : c.type]));
  const eventTime = timeColumn === undefined ? 'CAST(NULL AS TIMESTAMP)' : eventTimeDuckDbSql(quoteIdent(timeColumn.name), manifest.eventTime.format);
  const iso = (t: string): string => `strftime(${t}, '%Y-%m-%dT%H:%M:%S.%gZ')`;
  const [row] = await read(connection, `SELECT count(*), ${iso('min(event_time)')}, ${iso('max(event_time)')} FROM (SELECT ${eventTime} AS event_time FROM ${readerSql(file, manifest, objectBytes, asText)})`, key, format, file);
  const records = Number(row?.[0] ?? 0);
  // A CSV without header has no names of its own: its columns are the catalog's col0, col1 …
  const headerless = format === 'csv' && !csvOptions(manifest).header;
  if (records === 0) throw new PoisonInputError(`file has no records: ${key}`);
  const [from, to] = [row?.[1], row?.[2]];
  return { records, columns: described.map((c) => ({ name: headerless ? c.catalog : c.name, type: c.type })), ...(typeof from === 'string' && typeof to === 'string' ? { eventTimeRange: { from, to } } : {}) };
}

/** The embedded realisation's RawFileInspector: `inspectWithDuckDb`, on a DuckDB of its own with bounded resources. */
export class DuckDbRawFileInspector implements RawFileInspector {
  private readonly instance: () => Promise<DuckDBInstance>;

  /** An inspector whose DuckDB (started on first use) has these resources (default {@link DEFAULT_INSPECTOR_RESOURCES}). */
  constructor(resources: Partial<DuckDbResources> = {}) {
    this.instance = lazyDuckDb({ ...DEFAULT_INSPECTOR_RESOURCES, ...resources });
  }

  inspect(key: string, body: Buffer, manifest: DatasetManifest): Promise<RawFileFacts> {
    return inspectWithDuckDb(key, body, manifest, this.instance);
  }
}
