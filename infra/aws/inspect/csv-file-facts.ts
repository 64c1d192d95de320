import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { csvOptions, type DatasetManifest } from '../../../contracts/dataset-manifest';
import type { RawFileFacts } from '../../../handlers/ports/raw-file-inspector';
import { SchemaDriftError } from '../../../handlers/stage-kit/declared-columns';
import { PoisonInputError } from '../../../handlers/stage-kit/stage-error';
import { RecordTally } from './record-tally';

/** Whether a CSV cell's text is a value of the declared type (the cell is text: the check is its form). */
function cellFits(declared: string, text: string): boolean {
  const t = text.trim();
  if (declared === 'integer') return /^[+-]?\d+$/.test(t);
  if (declared === 'number') return t !== '' && Number.isFinite(Number(t));
  if (declared === 'boolean') return /^(true|false)$/i.test(t);
  return true;
}

/**
 * A CSV file as the dataset's dialect reads it (`raw.csv`: header, delimiter, quote, escape; gzip
 * when `.gz`), parsed as a stream with csv-parse: its data rows, the event-time range (the time
 * column's text with the manifest's format) and its columns (the header's names, or `col0`, `col1` …
 * without header). An empty cell is NULL. A declared integer, number or boolean column with a cell
 * of another form is a SchemaDriftError naming the record and the cell; a row with another number of
 * cells, an unclosed quote or broken gzip is poison (`a.csv is not valid CSV: …`).
 */
export async function csvFileFacts(key: string, body: Buffer, gzip: boolean, manifest: DatasetManifest): Promise<RawFileFacts> {
  const csv = csvOptions(manifest);
  const tally = new RecordTally(key, manifest, (declared, value) => typeof value !== 'string' || cellFits(declared, value));
  const parser = parse({ delimiter: csv.delimiter, quote: csv.quote, escape: csv.escape, bom: true, skip_empty_lines: true, relax_column_count: false });
  const source = Readable.from([body]);
  const input = gzip ? source.pipe(createGunzip()) : source;
  let names: string[] | undefined;
  try {
    const failed = new Promise<never>((_, reject) => input.once('error', reject));
    // A gzip error after the rows failed for another reason must not go unhandled.
    failed.catch(() => undefined);
    const rows = (async () => {
      for await (const cells of input.pipe(parser) as AsyncIterable<string[]>) {
        if (names === undefined) {
          names = csv.header ? cells : cells.map((_, i) => `col${i}`);
          if (csv.header) continue;
        }
        const record: Record<string, string | null> = {};
        names.forEach((name, i) => {
          const cell = cells[i] ?? '';
          record[name] = cell === '' ? null : cell;
        });
        tally.add(record, String);
      }
    })();
    await Promise.race([rows, failed]);
  } catch (err) {
    if (err instanceof SchemaDriftError) throw err;
    throw new PoisonInputError(`${key} is not valid CSV: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const facts = tally.facts({ columns: (names ?? []).map((name) => ({ name, type: 'VARCHAR' })) });
  if (facts.records === 0) throw new PoisonInputError(`file has no records: ${key}`);
  return facts;
}
