import type { DatasetManifest } from '../../contracts/dataset-manifest';
import type { RawFileFacts } from '../ports/raw-file-inspector';
import { SchemaDriftError } from './declared-columns';
import { PoisonInputError } from './stage-error';

const EXTENSIONS = ['.jsonl', '.json', '.ndjson'];

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** A column's type over all its non-null values: one JSON kind, `number` for integers mixed with decimals, else `mixed(…)`. */
function columnType(kinds: ReadonlySet<string>): string {
  if (kinds.size === 0) return 'null';
  if (kinds.size === 2 && kinds.has('integer') && kinds.has('number')) return 'number';
  return kinds.size === 1 ? [...kinds].join('') : `mixed(${[...kinds].join('/')})`;
}

function fits(declared: string, actual: string): boolean {
  return declared === actual || (declared === 'number' && actual === 'integer');
}

function toIso(value: unknown, format: string | undefined): string | undefined {
  let ms: number;
  if (format === 'epoch_seconds' || format === 'epoch_millis') {
    if (typeof value !== 'number') return undefined;
    ms = format === 'epoch_seconds' ? value * 1000 : value;
  } else {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value)) return undefined;
    ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
  }
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * Reads an uncompressed JSON-lines file without DuckDB (the fallback of a realisation without a
 * RawFileInspector; `jsonl` datasets only): its records, the range of its ISO-8601 or epoch event
 * times (no strptime formats), the declared JSON types.
 *
 * Poison (the file is quarantined whole, with this reason): an unsupported extension, an empty file,
 * a line that is not a JSON object. A value whose JSON type differs from the manifest's declared
 * column type is a SchemaDriftError (`schema`: it would change the crawled schema for every other file).
 * The columns are returned with the JSON kinds of their values, for the declared-column check. Row-level problems (a
 * missing speed, a bad timestamp) are not poison: those rows go to the rejects table at refine.
 */
export function jsonLinesFacts(key: string, body: Buffer, manifest: DatasetManifest): RawFileFacts {
  if (!EXTENSIONS.some((ext) => key.toLowerCase().endsWith(ext))) {
    throw new PoisonInputError(`unsupported file type for dataset ${manifest.name}: ${key} (expected jsonl: ${EXTENSIONS.join(', ')})`);
  }
  if (body.length === 0) throw new PoisonInputError(`file is empty: ${key}`);
  const declared = new Map(Object.entries(manifest.raw.columns ?? {}).map(([k, t]) => [k.toLowerCase(), t]));
  const timeColumn = manifest.eventTime.column.toLowerCase();
  const kinds = new Map<string, Set<string>>();
  let records = 0;
  let min: string | undefined;
  let max: string | undefined;
  const lines = body.toString('utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new PoisonInputError(`line ${i + 1} of ${key} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new PoisonInputError(`line ${i + 1} of ${key} is not a JSON object (got ${jsonType(value)})`);
    }
    records++;
    for (const [field, v] of Object.entries(value)) {
      const name = field.toLowerCase();
      const want = declared.get(name);
      const got = jsonType(v);
      if (want !== undefined && got !== 'null' && !fits(want, got)) {
        throw new SchemaDriftError(key, manifest.name, [{ column: field, declared: want, found: `${got} (line ${i + 1})` }], Object.keys(value));
      }
      const seen = kinds.get(field) ?? new Set<string>();
      if (got !== 'null') seen.add(got);
      kinds.set(field, seen);
      if (name === timeColumn) {
        const iso = toIso(v, manifest.eventTime.format);
        if (iso !== undefined) {
          if (min === undefined || iso < min) min = iso;
          if (max === undefined || iso > max) max = iso;
        }
      }
    }
  });
  if (records === 0) throw new PoisonInputError(`file has no records: ${key}`);
  const columns = [...kinds].map(([name, seen]) => ({ name, type: columnType(seen) }));
  return { records, columns, ...(min !== undefined && max !== undefined ? { eventTimeRange: { from: min, to: max } } : {}) };
}
