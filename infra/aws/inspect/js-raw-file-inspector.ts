import { gunzipSync } from 'node:zlib';
import type { DatasetManifest } from '../../../contracts/dataset-manifest';
import type { RawFileFacts, RawFileInspector } from '../../../handlers/ports/raw-file-inspector';
import { checkRawKey, RAW_FORMAT_NAMES } from '../../../handlers/stage-kit/raw-file-kinds';
import { PoisonInputError } from '../../../handlers/stage-kit/stage-error';
import { csvFileFacts } from './csv-file-facts';
import { jsonFileFacts } from './json-file-facts';
import { parquetFileFacts } from './parquet-file-facts';

/**
 * Checks a landed file against its dataset and measures it in pure JavaScript, for register-landing
 * on AWS, whose functions carry no DuckDB: the same checks and the same facts as the embedded
 * pipeline's DuckDB inspector (one contract suite holds both to the same numbers) — the record
 * count, the event-time range with the manifest's format (`eventTimeMs`, the twin of the refine's
 * `eventTimeSql`) and the declared column types — for JSON lines, JSON arrays of objects, CSV with
 * the manifest's dialect (csv-parse, streamed) and Parquet (hyparquet: the footer, and only the
 * columns it must read); text formats also gzip-compressed (`.gz`).
 *
 * Poison (the file is quarantined whole, with the reason): an unsupported extension, an empty file,
 * a file not readable as the format, a file with no records. A value of another type than declared is
 * a SchemaDriftError (`schema`). Row-level problems (a missing value, an unparsable time) are not
 * poison: those rows go to the rejects table at refine.
 */
export async function inspectWithJs(key: string, body: Buffer, manifest: DatasetManifest): Promise<RawFileFacts> {
  const format = manifest.raw.format;
  const { gzip } = checkRawKey(key, body, manifest);
  if (format === 'parquet') return parquetFileFacts(key, body, manifest);
  if (format === 'csv') return csvFileFacts(key, body, gzip, manifest);
  let text: string;
  try {
    text = (gzip ? gunzipSync(body) : body).toString('utf8');
  } catch (err) {
    throw new PoisonInputError(`${key} is not valid ${RAW_FORMAT_NAMES[format]}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (text.trim() === '') throw new PoisonInputError(`file has no records: ${key}`);
  return jsonFileFacts(key, text, manifest);
}

/** The RawFileInspector of the AWS realisation: `inspectWithJs`. */
export class JsRawFileInspector implements RawFileInspector {
  inspect(key: string, body: Buffer, manifest: DatasetManifest): Promise<RawFileFacts> {
    return inspectWithJs(key, body, manifest);
  }
}
