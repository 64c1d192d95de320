import { mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { openBoundedDuckDb } from '../emulators/duckdb/bounded-duckdb';
import { ConfigurationError } from '../../contracts/configuration-error';
import type { RawFormat } from '../../contracts/dataset-manifest';
import { inferObjectSchema, type ObjectSchema } from '../emulators/crawler/infer-object-schema';
import { renderGlueType } from '../emulators/crawler/glue-type';
import { sqlLiteral } from '../emulators/query/sql-quote';

/** Records of a JSON array file the sample's schema is inferred from (the crawler reads about as many). */
const ARRAY_SAMPLE = 1000;
/** Values of the event-time column read to guess its format and grain. */
const VALUES_SAMPLED = 200;

/** One column of a sample file: its name as in the file, as catalogued (lowercased) and its Glue type. */
export interface SampleColumn {
  readonly name: string;
  readonly catalogued: string;
  readonly glueType: string;
}

/** What a sample file says about its dataset: format, CSV dialect, columns as the crawler infers them. */
export interface SampleSchema {
  readonly format: RawFormat;
  readonly csv?: { readonly header: boolean; readonly delimiter: string };
  readonly columns: readonly SampleColumn[];
  /** Up to 200 non-null values of a column, as text (to guess an event-time format). */
  values(catalogued: string): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Infers a sample file's schema with the local crawler's inference (Glue's classifiers on DuckDB), so
 * the dataset written from it declares what the crawler will catalogue: JSON lines, CSV (dialect and
 * header as Glue decides), Parquet, each optionally gzip. A file holding one JSON array of objects,
 * which Glue's built-in classifier does not read, is inferred from its first 1 000 objects rewritten
 * as JSON lines. Column names keep the file's spelling (the catalog lowercases them).
 */
export async function inferSample(file: string): Promise<SampleSchema> {
  await checkReadable(file);
  const instance = await openBoundedDuckDb({ memoryLimit: '256MB', threads: 1 });
  const conn = await instance.connect();
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'tributary-sample-'));
  const close = async (): Promise<void> => {
    conn.closeSync();
    instance.closeSync();
    await rm(scratch, { recursive: true, force: true });
  };
  try {
    const isArray = await startsWithArray(file);
    let inferred = file;
    if (isArray) {
      inferred = path.join(scratch, 'sample.jsonl');
      await conn.run(`COPY (SELECT * FROM read_json(${sqlLiteral(file)}, format = 'array') LIMIT ${ARRAY_SAMPLE}) TO ${sqlLiteral(inferred)} (FORMAT JSON)`);
    }
    const verdict = await inferObjectSchema(conn, inferred, (await stat(inferred)).size);
    if (!verdict.ok) throw new ConfigurationError(file, undefined, `the crawler cannot read it: ${verdict.reason}`);
    const schema = verdict.schema;
    const reader = readerOf(schema, isArray ? file : inferred, isArray);
    const fileNames = schema.csv && !schema.csv.header ? [] : (await conn.runAndReadAll(`SELECT * FROM ${reader} LIMIT 0`)).columnNames();
    const columns = schema.columns.map((c) => ({ name: fileNames.find((n) => n.toLowerCase() === c.name) ?? c.name, catalogued: c.name, glueType: renderGlueType(c.type) }));
    const format: RawFormat = isArray ? 'json' : schema.classification === 'json' ? 'jsonl' : schema.classification;
    return {
      format,
      ...(schema.csv ? { csv: { header: schema.csv.header, delimiter: schema.csv.delimiter } } : {}),
      columns,
      values: async (catalogued) => {
        const column = columns.find((c) => c.catalogued === catalogued);
        if (column === undefined) return [];
        const source = schema.csv && !schema.csv.header ? `column${columns.indexOf(column)}` : column.name;
        const quoted = `"${source.replace(/"/g, '""')}"`;
        const rows = (await conn.runAndReadAll(`SELECT CAST(${quoted} AS VARCHAR) FROM ${reader} WHERE ${quoted} IS NOT NULL LIMIT ${VALUES_SAMPLED}`)).getRowsJson();
        return rows.map((r) => String(r[0]));
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The DuckDB table function reading the whole file as the crawler classified it. */
function readerOf(schema: ObjectSchema, file: string, isArray: boolean): string {
  const f = sqlLiteral(file);
  if (isArray) return `read_json(${f}, format = 'array')`;
  if (schema.classification === 'parquet') return `read_parquet(${f})`;
  if (schema.classification === 'json') return `read_json(${f}, format = 'newline_delimited')`;
  const csv = schema.csv;
  return `read_csv(${f}, header = ${csv?.header === false ? 'false' : 'true'}, delim = ${sqlLiteral(csv?.delimiter ?? ',')}, all_varchar = true)`;
}

/** Refuses, saying so, a sample that is empty or a `.gz` that does not decompress (the crawler's verdict would only say "not CSV"). */
async function checkReadable(file: string): Promise<void> {
  const bytes = await readFile(file);
  if (bytes.length === 0) throw new ConfigurationError(file, undefined, 'the file is empty');
  if (!file.toLowerCase().endsWith('.gz')) return;
  try {
    zlib.gunzipSync(bytes);
  } catch (err) {
    throw new ConfigurationError(file, undefined, `not valid gzip (${(String(err).split('\n')[0] ?? '').replace(/^Error: /, '')})`);
  }
}

/** True when the (possibly gzipped) file's first non-blank character is `[`: one JSON array. */
async function startsWithArray(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(65536);
    head = buffer.subarray(0, (await handle.read(buffer, 0, buffer.length, 0)).bytesRead);
  } finally {
    await handle.close();
  }
  const text = head[0] === 0x1f && head[1] === 0x8b ? zlib.gunzipSync(head, { finishFlush: zlib.constants.Z_SYNC_FLUSH }) : head;
  return text.toString('utf8').trimStart().startsWith('[');
}
