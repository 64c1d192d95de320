import type { DatasetManifest } from '../../contracts/dataset-manifest';
import type { InspectedColumn } from './declared-columns';
import { PoisonInputError } from './stage-error';

/**
 * What a landed raw file holds: its record count, the span of its parseable event times, and its
 * columns with their types when the inspection could read them (compared with the declared ones by
 * `checkDeclaredColumns`).
 */
export interface RawFileFacts {
  readonly records: number;
  readonly eventTimeRange?: { readonly from: string; readonly to: string };
  readonly columns?: readonly InspectedColumn[];
}

const EXTENSIONS: Record<DatasetManifest['raw']['format'], readonly string[]> = {
  jsonl: ['.jsonl', '.json', '.ndjson'],
  json: ['.json'],
  csv: ['.csv'],
  parquet: ['.parquet'],
};

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
 * Checks a landed file against its dataset before anything else touches it, and measures it.
 *
 * Poison (the file is quarantined whole, with this reason): an unsupported extension, an empty file,
 * a line that is not a JSON object. The file's columns and their JSON types are returned for the
 * declared-column check. Row-level problems (a missing speed, a bad timestamp) are not poison: those
 * rows go to the rejects table at refine.
 */
export function inspectRawFile(key: string, body: Buffer, manifest: DatasetManifest): RawFileFacts {
  const allowed = EXTENSIONS[manifest.raw.format];
  if (!allowed.some((ext) => key.toLowerCase().endsWith(ext))) {
    throw new PoisonInputError(`unsupported file type for dataset ${manifest.name}: ${key} (expected ${manifest.raw.format}: ${allowed.join(', ')})`);
  }
  if (body.length === 0) throw new PoisonInputError(`file is empty: ${key}`);
  if (manifest.raw.format !== 'jsonl') return { records: 0 };
  const kinds = new Map<string, Set<string>>();
  const timeColumn = manifest.eventTime.column.toLowerCase();
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
      const got = jsonType(v);
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
