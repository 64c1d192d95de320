import { promises as fs } from 'node:fs';
import * as zlib from 'node:zlib';
import type { DuckDBConnection, DuckDBType } from '@duckdb/node-api';
import { glueCsvColumnNames, isGlueCsvHeader } from './glue-csv-header';
import { glueTypeOfDuckDb, renderGlueType, type Classification, type GlueType } from './glue-type';

/** Glue reads about the first 1 000 records or 1 MB of a text file. */
const SAMPLE_RECORDS = 1000;
const SAMPLE_BYTES = 1024 * 1024;
/** Delimiters Glue's built-in CSV classifier tries. */
const GLUE_DELIMITERS = [',', '|', '\t', ';', '\u0001'];

/** The schema one object contributes to its table, as Glue's built-in classifier would see it. */
export interface ObjectSchema {
  readonly classification: Classification;
  readonly compressionType: 'none' | 'gzip';
  readonly columns: readonly { readonly name: string; readonly type: GlueType }[];
  /** Exact for Parquet (footer) and for text files within the sample; estimated from the sample otherwise. */
  readonly recordCount: number;
  readonly csv?: { readonly delimiter: string; readonly quoted: boolean; readonly header: boolean };
}

/** The custom classifiers a crawler names: `jsonArrays` for JSON_ARRAY_CLASSIFIER (`JsonPath` `$[*]`). */
export interface InferenceOptions {
  readonly jsonArrays?: boolean;
  /** A custom CSV classifier's dialect: header present or absent, delimiter, quote (not guessed). */
  readonly csv?: { readonly header: boolean; readonly delimiter: string; readonly quote: string };
}

/** The classifier's verdict on one object: a schema, or why it is UNKNOWN. */
export type ObjectInference = { readonly ok: true; readonly schema: ObjectSchema } | { readonly ok: false; readonly reason: string };

/**
 * Classifies one file in Glue's built-in order (Parquet, JSON, CSV) and infers its Glue schema with
 * DuckDB: Parquet from the footer, JSON lines with `read_json` over the first 1 000 records, CSV with
 * `sniff_csv` plus Glue's header rules. A file no classifier accepts is UNKNOWN, with the reason.
 * A file that starts like JSON but does not parse is UNKNOWN too (not retried as CSV), so a broken
 * JSON-lines file is reported instead of becoming a one-column CSV table. A file holding a top-level
 * JSON array is UNKNOWN to the built-ins; with the custom JSON classifier `$[*]` (`jsonArrays`) its
 * elements are the records.
 */
export async function inferObjectSchema(conn: DuckDBConnection, file: string, size: number, classifiers: InferenceOptions = {}): Promise<ObjectInference> {
  const head = await readHead(file);
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return inferParquet(conn, file);
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const text = gzip ? gunzipPrefix(head) : head;
  if (text === undefined) return { ok: false, reason: 'gzip stream could not be decompressed' };
  if (text.includes(0)) return { ok: false, reason: 'binary content matches no built-in classifier (Parquet, JSON, CSV)' };
  const textSize = !gzip ? size : text.length < SAMPLE_BYTES ? text.length : Math.round((size * text.length) / Math.max(1, head.length));
  const sample = sampleLines(text.toString('utf8'), textSize);
  const compressionType = gzip ? 'gzip' : 'none';
  try {
    const first = sample.firstChar;
    if (first === '[' && classifiers.jsonArrays === true) return await inferJson(conn, file, compressionType, sample.estimate, 'array');
    if (first === '[') return { ok: false, reason: 'top-level JSON array: the built-in JSON classifier needs JSON lines (a custom classifier with JsonPath $[*] reads arrays)' };
    if (first === '{') return await inferJson(conn, file, compressionType, sample.estimate);
    return classifiers.csv ? await inferCustomCsv(conn, file, compressionType, sample, classifiers.csv) : await inferCsv(conn, file, compressionType, sample);
  } catch (err) {
    throwIfEngineFailure(err);
    return { ok: false, reason: firstLine(err) };
  }
}

/**
 * DuckDB's own failures — out of memory (past the crawler's memory limit), an interrupt, an internal
 * or fatal error — say nothing about the file: they fail the crawl (which is retried) instead of
 * becoming an UNKNOWN verdict that the crawler caches and that keeps the file's folder out of the
 * table for good.
 */
function throwIfEngineFailure(err: unknown): void {
  if (/^(Error: )?(Out of Memory Error|Interrupt Error|INTERNAL Error|FATAL Error)\b/i.test(firstLine(err))) throw err;
}

async function inferParquet(conn: DuckDBConnection, file: string): Promise<ObjectInference> {
  try {
    const reader = await conn.runAndReadAll('SELECT * FROM read_parquet($1, hive_partitioning = false) LIMIT 0', [file]);
    const meta = await conn.runAndReadAll('SELECT num_rows FROM parquet_file_metadata($1)', [file]);
    const rows = Number(meta.getRowsJson()[0]?.[0] ?? 0);
    return { ok: true, schema: { classification: 'parquet', compressionType: 'none', columns: columnsOf(reader.columnNames(), reader.columnTypes(), 'parquet'), recordCount: rows } };
  } catch (err) {
    throwIfEngineFailure(err);
    return { ok: false, reason: `unreadable Parquet: ${firstLine(err)}` };
  }
}

/**
 * The JSON schema from the first 1 000 records only (`LIMIT 0`: binding samples them, nothing is
 * converted), as Glue's classifier reads the start of a file: a value past the sample that does not
 * fit its inferred type (`"not-a-time"` in a timestamp column) is a row the refine rejects, not a
 * reason to call the whole file unreadable and keep its folder out of the table.
 */
async function inferJson(conn: DuckDBConnection, file: string, compressionType: 'none' | 'gzip', estimate: (lessHeader: boolean) => number, layout: 'newline_delimited' | 'array' = 'newline_delimited'): Promise<ObjectInference> {
  const reader = await conn.runAndReadAll(
    `SELECT * FROM read_json($1, format = '${layout}', records = true, hive_partitioning = false, sample_size = ${SAMPLE_RECORDS}, map_inference_threshold = -1, compression = '${compressionType === 'gzip' ? 'gzip' : 'uncompressed'}') LIMIT 0`,
    [file],
  );
  const columns = columnsOf(reader.columnNames().map((n) => n.toLowerCase()), reader.columnTypes(), 'json');
  return { ok: true, schema: { classification: 'json', compressionType, columns, recordCount: estimate(false) } };
}

async function inferCsv(conn: DuckDBConnection, file: string, compressionType: 'none' | 'gzip', sample: Sample): Promise<ObjectInference> {
  const compression = `compression = '${compressionType === 'gzip' ? 'gzip' : 'none'}'`;
  let dialect = await sniff(conn, file, `${compression}`);
  if (dialect.types.length < 2) dialect = await sniff(conn, file, `${compression}, delim = '\u0001'`);
  if (dialect.types.length < 2) return { ok: false, reason: `not CSV: found ${dialect.types.length} column with delimiters , | \\t ; \\u0001 (Glue needs at least 2)` };
  if (!GLUE_DELIMITERS.includes(dialect.delimiter)) return { ok: false, reason: `delimiter ${JSON.stringify(dialect.delimiter)} is not one Glue's CSV classifier tries` };
  const opts = `${compression}, delim = ${sqlText(dialect.delimiter)}, quote = ${sqlText(dialect.quote)}`;
  const rows = (await conn.runAndReadAll(`SELECT * FROM read_csv($1, header = false, all_varchar = true, hive_partitioning = false, ${opts}) LIMIT ${SAMPLE_RECORDS + 1}`, [file])).getRowsJson();
  if (rows.length < 2) return { ok: false, reason: `not CSV: ${rows.length} row (Glue needs at least 2)` };
  const firstRow = (rows[0] ?? []).map((c) => (typeof c === 'string' ? c : null));
  const dataTypes = (await sniff(conn, file, `${opts}, header = true`)).types;
  const header = isGlueCsvHeader(firstRow, dataTypes.map((t) => renderGlueType(glueTypeOfDuckDb(t, 'csv'))));
  const types = header ? dataTypes : (await sniff(conn, file, `${opts}, header = false`)).types;
  const names = glueCsvColumnNames(header ? firstRow : undefined, types.length);
  const columns = names.map((name, i) => ({ name, type: glueTypeOfDuckDb(typeAt(types, i), 'csv') }));
  const quoted = dialect.quote !== '' && sample.text.includes(dialect.quote);
  return { ok: true, schema: { classification: 'csv', compressionType, columns, recordCount: sample.estimate(header), csv: { delimiter: dialect.delimiter, quoted, header } } };
}

/** CSV with a custom classifier's dialect: its header, delimiter and quote, only the types inferred. */
async function inferCustomCsv(conn: DuckDBConnection, file: string, compressionType: 'none' | 'gzip', sample: Sample, csv: NonNullable<InferenceOptions['csv']>): Promise<ObjectInference> {
  const opts = `compression = '${compressionType === 'gzip' ? 'gzip' : 'none'}', delim = ${sqlText(csv.delimiter)}, quote = ${sqlText(csv.quote)}`;
  const rows = (await conn.runAndReadAll(`SELECT * FROM read_csv($1, header = false, all_varchar = true, hive_partitioning = false, ${opts}) LIMIT 2`, [file])).getRowsJson();
  if (rows.length < (csv.header ? 2 : 1)) return { ok: false, reason: `not CSV: ${rows.length} row with the classifier's header ${csv.header ? 'PRESENT' : 'ABSENT'}` };
  const firstRow = (rows[0] ?? []).map((c) => (typeof c === 'string' ? c : null));
  const types = (await sniff(conn, file, `${opts}, header = ${csv.header}`)).types;
  const columns = glueCsvColumnNames(csv.header ? firstRow : undefined, types.length).map((name, i) => ({ name, type: glueTypeOfDuckDb(typeAt(types, i), 'csv') }));
  const quoted = csv.quote !== '' && sample.text.includes(csv.quote);
  return { ok: true, schema: { classification: 'csv', compressionType, columns, recordCount: sample.estimate(csv.header), csv: { delimiter: csv.delimiter, quoted, header: csv.header } } };
}

interface Dialect {
  readonly delimiter: string;
  readonly quote: string;
  readonly types: DuckDBType[];
}

async function sniff(conn: DuckDBConnection, file: string, options: string): Promise<Dialect> {
  const prompt = await conn.runAndReadAll(`SELECT Delimiter, Quote FROM sniff_csv($1, sample_size = ${SAMPLE_RECORDS}, ${options})`, [file]);
  const [delimiter, quote] = prompt.getRowsJson()[0] ?? [];
  const typed = await conn.runAndReadAll(`SELECT * FROM read_csv($1, sample_size = ${SAMPLE_RECORDS}, hive_partitioning = false, ${options}) LIMIT 0`, [file]);
  return {
    delimiter: typeof delimiter === 'string' ? delimiter : ',',
    quote: typeof quote === 'string' && quote !== '(empty)' ? quote : '',
    types: typed.columnTypes(),
  };
}

function columnsOf(names: readonly string[], types: readonly DuckDBType[], format: Classification): { name: string; type: GlueType }[] {
  return names.map((name, i) => ({ name, type: glueTypeOfDuckDb(typeAt(types, i), format) }));
}

function typeAt(types: readonly DuckDBType[], i: number): DuckDBType {
  const t = types[i];
  if (t === undefined) throw new Error(`DuckDB reported no type for column ${i}`);
  return t;
}

interface Sample {
  readonly text: string;
  readonly firstChar: string;
  /** Estimated record count of the whole object (Glue's recordCount is an estimate too). */
  readonly estimate: (lessHeader: boolean) => number;
}

function sampleLines(text: string, fileSize: number): Sample {
  const whole = fileSize <= SAMPLE_BYTES;
  const complete = whole ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  const lines = complete.split('\n').filter((l) => l.trim() !== '').length;
  const bytes = Buffer.byteLength(complete);
  return {
    text: complete,
    firstChar: text.trimStart().charAt(0),
    estimate: (lessHeader) => {
      const n = Math.max(0, lines - (lessHeader ? 1 : 0));
      return whole || bytes === 0 ? n : Math.round((fileSize / bytes) * n);
    },
  };
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SAMPLE_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function gunzipPrefix(head: Buffer): Buffer | undefined {
  try {
    return zlib.gunzipSync(head, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, SAMPLE_BYTES);
  } catch {
    return undefined;
  }
}

/** Quotes text as a SQL string literal (the one quoting helper of the crawler's SQL). */
function sqlText(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0] ?? message;
}
