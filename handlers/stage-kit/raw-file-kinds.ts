import type { DatasetManifest, RawFormat } from '../../contracts/dataset-manifest';
import { PoisonInputError } from './stage-error';

/** The key endings each format accepts; text formats also with `.gz` after them (gzip, as Athena reads it). */
export const RAW_EXTENSIONS: Readonly<Record<RawFormat, readonly string[]>> = {
  jsonl: ['.jsonl', '.json', '.ndjson'],
  json: ['.json'],
  csv: ['.csv', '.tsv', '.txt'],
  parquet: ['.parquet'],
};

/** How a message names each format: `… is not valid CSV: …`. */
export const RAW_FORMAT_NAMES: Readonly<Record<RawFormat, string>> = { jsonl: 'JSON lines', json: 'JSON (an array of objects)', csv: 'CSV', parquet: 'Parquet' };

/**
 * The checks every raw-file inspector makes before it reads a file, with the same reasons: a key
 * whose ending the dataset's format does not take, an empty file, a text file of blanks, a text file holding a NUL byte (binary data). Throws a
 * PoisonInputError (the file is quarantined whole); returns whether the key is gzip (`.gz`).
 */
export function checkRawKey(key: string, body: Buffer, manifest: DatasetManifest): { gzip: boolean } {
  const format = manifest.raw.format;
  const lower = key.toLowerCase();
  const allowed = format === 'parquet' ? RAW_EXTENSIONS[format] : RAW_EXTENSIONS[format].flatMap((ext) => [ext, `${ext}.gz`]);
  if (!allowed.some((ext) => lower.endsWith(ext))) {
    throw new PoisonInputError(`unsupported file type for dataset ${manifest.name}: ${key} (expected ${format}: ${allowed.join(', ')})`);
  }
  if (body.length === 0) throw new PoisonInputError(`file is empty: ${key}`);
  const gzip = lower.endsWith('.gz');
  if (format !== 'parquet' && !gzip) {
    // Text formats hold no NUL byte; a reader may otherwise sniff binary bytes as a few garbage rows.
    const nul = body.indexOf(0);
    if (nul !== -1) throw new PoisonInputError(`${key} is not valid ${RAW_FORMAT_NAMES[format]}: it holds binary data (a NUL byte at byte ${nul})`);
    if (body.toString('utf8').trim() === '') throw new PoisonInputError(`file has no records: ${key}`);
  }
  return { gzip };
}
